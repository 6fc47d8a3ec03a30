using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>Terminates an EMR cluster (<c>TerminateJobFlows</c>) and, by default, waits until it has ended. A cluster
/// already terminated is not an error (asking twice is harmless, so a retry may). Often the last task of a DAG
/// that created its cluster, with <c>TriggerRule.AllDone</c> so the cluster ends whatever the steps did.</summary>
public sealed class EmrTerminateJobFlowOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    public EmrTerminateJobFlowOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The cluster's id, e.g. <c>{{ outputs.create_cluster.job_flow_id }}</c>. Required.</summary>
    [Templated]
    public string JobFlowId { get; set; } = string.Empty;

    /// <summary>Wait until the cluster is <c>TERMINATED</c> (or <c>TERMINATED_WITH_ERRORS</c>). Default: true.</summary>
    public bool WaitForTermination { get; set; } = true;

    /// <summary>The slowest interval between two <c>DescribeCluster</c> calls while it ends. Default: 30 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The AWS connection. Default: <c>aws_default</c>.</summary>
    [Templated]
    public string AwsConnectionId { get; set; } = "aws_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RemoteFailures.AsTaskFailuresAsync(() => TerminateAsync(context, cancellationToken));
    }

    private async Task<object?> TerminateAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clusterId = fields.Text(nameof(JobFlowId)) is { Length: > 0 } id ? id : throw new TaskFailedException($"Task '{TaskId}': {nameof(EmrTerminateJobFlowOperator)}.{nameof(JobFlowId)} is empty.");
        var clients = RemoteClients.For(context);
        var emr = clients.Emr(fields.Text(nameof(AwsConnectionId))!);
        var cluster = await emr.DescribeClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (cluster.Status.State is "TERMINATED" or "TERMINATED_WITH_ERRORS")
        {
            context.Log.WriteLine($"Cluster {clusterId} has already ended: {cluster.Status.State}{EmrJobFlows.Reason(cluster)}.");
            return EmrJobFlows.Output(cluster);
        }

        await emr.TerminateJobFlowsAsync([clusterId], cancellationToken).ConfigureAwait(false);
        context.Log.WriteLine($"Asked EMR to terminate cluster {clusterId} ({cluster.Status.State}).");
        if (!WaitForTermination)
            return EmrJobFlows.Output(cluster);
        var poll = new AdaptivePoll(PollInterval);
        var said = cluster.Status.State;
        while (true)
        {
            await Task.Delay(poll.Next(), clients.Time, cancellationToken).ConfigureAwait(false);
            cluster = await emr.DescribeClusterAsync(clusterId, cancellationToken).ConfigureAwait(false);
            if (cluster.Status.State != said)
            {
                said = cluster.Status.State;
                context.Log.WriteLine($"[dagrunner] EMR: cluster {clusterId} is {said}{EmrJobFlows.Reason(cluster)}.");
            }

            if (cluster.Status.State is "TERMINATED" or "TERMINATED_WITH_ERRORS")
                return EmrJobFlows.Output(cluster);
        }
    }
}
