namespace DagRunner.Engine.Runs;

/// <summary>
/// Who executes a run, as the store records it: the process that claimed it and when it last said it
/// was alive. A run is executed only by its holder; a holder whose heartbeat went stale (or whose
/// process is known to be gone) is taken over by the next runner.
/// </summary>
public sealed record RunClaim
{
    /// <summary>Whether the asker holds the run now.</summary>
    public required bool Held { get; init; }

    /// <summary>The holder after the attempt: the asker when <see cref="Held"/>, else the other process; null when nobody holds it.</summary>
    public string? Holder { get; init; }

    /// <summary>The holder's last heartbeat.</summary>
    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>The previous holder the asker took the run over from (stale or gone), or null.</summary>
    public string? TakenFrom { get; init; }
}
