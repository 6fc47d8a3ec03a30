using DagRunner.Clients.Emr;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Sensors;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>Waits until an EMR step ends (<c>DescribeStep</c>): succeeds when it is in one of <see cref="TargetStates"/>,
/// fails at once, with EMR's failure details and the step's log folder, when it is in one of <see cref="FailedStates"/>.
/// Throttling and EMR not answering are not a "no": the sensor pokes again.</summary>
public sealed class EmrStepSensor : Sensor
{
    /// <summary>Creates the task.</summary>
    public EmrStepSensor(string taskId)
        : base(taskId)
    {
        PokeInterval = TimeSpan.FromSeconds(30);
    }

    /// <summary>The cluster's id, e.g. <c>{{ outputs.add_steps.job_flow_id }}</c>. Required.</summary>
    [Templated]
    public string JobFlowId { get; set; } = string.Empty;

    /// <summary>The step's id, e.g. <c>{{ outputs.add_steps.step_id }}</c>. Required.</summary>
    [Templated]
    public string StepId { get; set; } = string.Empty;

    /// <summary>The states that end the wait with success. Default: <c>COMPLETED</c>.</summary>
    public IList<string> TargetStates { get; } = new List<string> { "COMPLETED" };

    /// <summary>The states that fail the task. Default: <c>CANCELLED</c>, <c>FAILED</c>, <c>INTERRUPTED</c>.</summary>
    public IList<string> FailedStates { get; } = new List<string> { "CANCELLED", "FAILED", "INTERRUPTED" };

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
        var clusterId = Required(fields, nameof(JobFlowId));
        var stepId = Required(fields, nameof(StepId));
        var clients = RemoteClients.For(context);
        var emr = clients.Emr(fields.Text(nameof(AwsConnectionId))!);
        return SensorLoop.RunAsync(this, context, clients.Time, $"step {stepId} on cluster {clusterId} to reach {string.Join(" or ", TargetStates)}", async token =>
        {
            EmrStep step;
            try
            {
                step = await emr.DescribeStepAsync(clusterId, stepId, token).ConfigureAwait(false);
            }
            catch (EmrException e)
            {
                throw EmrThrottled.ForSensor(e);
            }

            var state = step.Status.State;
            if (FailedStates.Contains(state))
                throw new EmrStepFailedException(await FailureAsync(emr, clusterId, step, token).ConfigureAwait(false));
            if (!TargetStates.Contains(state))
                return null;
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["job_flow_id"] = clusterId,
                ["step_id"] = stepId,
                ["state"] = state,
            };
        }, cancellationToken);
    }

    // What EMR says of the failure, and where the step's logs are (when the cluster keeps logs).
    private static async Task<string> FailureAsync(EmrClient emr, string clusterId, EmrStep step, CancellationToken cancellationToken)
    {
        var said = $"EMR step {step.Id} ({step.Name}) on cluster {clusterId} is {step.Status.State}";
        if (step.Status.StateChangeReason is { Message: { Length: > 0 } reason })
            said += $": {reason}";
        if (step.Status.FailureDetails is { } details)
            said += $". EMR's failure details: {details.Reason ?? "(no reason)"}: {details.Message ?? "(no message)"}" + (details.LogFile is { } file ? $" (from {file})" : "");
        try
        {
            if ((await emr.DescribeClusterAsync(clusterId, cancellationToken).ConfigureAwait(false)).LogUri is { Length: > 0 } logUri)
                said += $". Step logs: {EmrStepsRun.StepLogs(logUri, clusterId, step.Id)}";
        }
        catch (EmrException)
        {
            // the failure is told without the link
        }

        return said + ".";
    }

    private string Required(RenderedTask fields, string name) =>
        fields.Text(name) is { Length: > 0 } value ? value : throw new TaskFailedException($"Task '{TaskId}': {nameof(EmrStepSensor)}.{name} is empty.");
}
