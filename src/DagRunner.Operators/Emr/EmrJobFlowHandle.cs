using DagRunner.Operators.Remote;

namespace DagRunner.Operators.Emr;

/// <summary>What an <see cref="EmrCreateJobFlowOperator"/> attempt learned about its cluster: its
/// <paramref name="Name"/> (unique per attempt) and when it was asked for, recorded before <c>RunJobFlow</c> is sent,
/// its <paramref name="ClusterId"/> as soon as EMR answers. <paramref name="Verdict"/> is <c>submitting</c> until the
/// id is known, null while the cluster starts, then <c>succeeded</c> (ready) or <c>failed</c>.</summary>
public sealed record EmrJobFlowHandle(
    string Name,
    DateTimeOffset Requested,
    string? ClusterId = null,
    string? State = null,
    string? Verdict = EmrJobFlowHandle.Submitting) : IRemoteHandle
{
    /// <summary>The kind a cluster handle is recorded under in the task's checkpoint.</summary>
    public const string Kind = "emr_job_flow";

    /// <summary>The verdict of a handle whose cluster id is not known yet.</summary>
    public const string Submitting = "submitting";

    /// <inheritdoc/>
    public string Describe() => $"EMR cluster {ClusterId ?? "? (" + Name + ")"}" + (State is null ? "" : $" {State}");
}
