namespace DagRunner.Clients.Emr;

/// <summary>A step to add (<c>StepConfig</c>). Its <see cref="Name"/> is how a caller finds the step
/// again with <c>ListSteps</c> after a lost answer, so make it unique per attempt.</summary>
public sealed record EmrStepConfig
{
    public required string Name { get; init; }

    /// <summary><c>TERMINATE_CLUSTER</c>, <c>CANCEL_AND_WAIT</c> or <c>CONTINUE</c>. Default: <c>CONTINUE</c>, always
    /// sent: EMR's API documents no default, and a failed step must not end a shared cluster by surprise.</summary>
    public string ActionOnFailure { get; init; } = "CONTINUE";

    public required EmrHadoopJarStep HadoopJarStep { get; init; }
}
