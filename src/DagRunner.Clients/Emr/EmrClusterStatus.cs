namespace DagRunner.Clients.Emr;

/// <summary>A cluster's status: <c>STARTING</c>, <c>BOOTSTRAPPING</c>, <c>RUNNING</c>, <c>WAITING</c>,
/// <c>TERMINATING</c>, <c>TERMINATED</c> or <c>TERMINATED_WITH_ERRORS</c>.</summary>
public sealed record EmrClusterStatus
{
    public required string State { get; init; }
    public EmrStateChangeReason? StateChangeReason { get; init; }
    public EmrTimeline? Timeline { get; init; }

    /// <summary>The cluster is gone or going.</summary>
    public bool IsTerminated => State is "TERMINATING" or "TERMINATED" or "TERMINATED_WITH_ERRORS";
}
