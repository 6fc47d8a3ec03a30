namespace DagRunner.Clients.Emr;

/// <summary>A step's status: <c>PENDING</c>, <c>CANCEL_PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>,
/// <c>CANCELLED</c>, <c>FAILED</c> or <c>INTERRUPTED</c>.</summary>
public sealed record EmrStepStatus
{
    public required string State { get; init; }
    public EmrStateChangeReason? StateChangeReason { get; init; }
    public EmrFailureDetails? FailureDetails { get; init; }
    public EmrTimeline? Timeline { get; init; }

    /// <summary>The step will not change again.</summary>
    public bool IsTerminal => IsFinal(State);

    /// <summary>Whether a step in <paramref name="state"/> will not change again.</summary>
    public static bool IsFinal(string state) => state is "COMPLETED" or "CANCELLED" or "FAILED" or "INTERRUPTED";
}
