using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Sensors;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>Waits until an EMR cluster is in one of <see cref="TargetStates"/> (<c>DescribeCluster</c>); fails at once,
/// with EMR's reason, when it is in one of <see cref="FailedStates"/>. Throttling and EMR not answering are not a
/// "no": the sensor pokes again.</summary>
public sealed class EmrJobFlowSensor : Sensor
{
    /// <summary>Creates the task.</summary>
    public EmrJobFlowSensor(string taskId)
        : base(taskId)
    {
        PokeInterval = TimeSpan.FromSeconds(60);
    }

    /// <summary>The cluster's id, e.g. <c>{{ outputs.create_cluster.job_flow_id }}</c>. Required.</summary>
    [Templated]
    public string JobFlowId { get; set; } = string.Empty;

    /// <summary>The states that end the wait with success. Default: <c>TERMINATED</c> (the cluster has ended its work).
    /// <c>WAITING</c> waits for a cluster to be ready for steps.</summary>
    public IList<string> TargetStates { get; } = new List<string> { "TERMINATED" };

    /// <summary>The states that fail the task. Default: <c>TERMINATED_WITH_ERRORS</c>.</summary>
    public IList<string> FailedStates { get; } = new List<string> { "TERMINATED_WITH_ERRORS" };

    /// <summary>The AWS connection. Default: <c>aws_default</c>.</summary>
    [Templated]
    public string AwsConnectionId { get; set; } = "aws_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RemoteFailures.AsTaskFailuresAsync(() => PokeAsync(context, cancellationToken));
    }

    private Task<object?> PokeAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var fields = TaskTemplates.For(context).Render(this, context, cancellationToken);
        var clusterId = fields.Text(nameof(JobFlowId)) is { Length: > 0 } id ? id : throw new TaskFailedException($"Task '{TaskId}': {nameof(EmrJobFlowSensor)}.{nameof(JobFlowId)} is empty.");
        var clients = RemoteClients.For(context);
        var emr = clients.Emr(fields.Text(nameof(AwsConnectionId))!);
        return SensorLoop.RunAsync(this, context, clients.Time, $"cluster {clusterId} to reach {string.Join(" or ", TargetStates)}", async token =>
        {
            EmrCluster cluster;
            try
            {
                cluster = await emr.DescribeClusterAsync(clusterId, token).ConfigureAwait(false);
            }
            catch (EmrException e)
            {
                throw EmrThrottled.ForSensor(e);
            }

            var state = cluster.Status.State;
            if (FailedStates.Contains(state))
                throw new TaskFailedException($"EMR cluster {clusterId} is {state}{EmrJobFlows.Reason(cluster)}.");
            return TargetStates.Contains(state) ? EmrJobFlows.Output(cluster) : null;
        }, cancellationToken);
    }
}
