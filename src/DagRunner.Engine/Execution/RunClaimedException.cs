using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Execution;

/// <summary>
/// The run is being executed by another runner (its claim in the store is held and fresh), or this
/// runner lost its claim while running it: this runner leaves the run alone. Never a failure of the run.
/// </summary>
public sealed class RunClaimedException : Exception
{
    /// <summary>The run another runner holds.</summary>
    public RunClaimedException(DagRun run, string? holder, DateTimeOffset? heartbeatAt)
        : base($"Run {run?.RunId} of {run?.DagId} is being run by {(holder is null ? "another runner" : RunOwner.Describe(holder))}.")
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
        Holder = holder;
        HeartbeatAt = heartbeatAt;
    }

    /// <summary>Needed by the analyzers' exception pattern; use the run's constructor.</summary>
    public RunClaimedException()
    {
        Run = null!;
    }

    /// <summary>Needed by the analyzers' exception pattern; use the run's constructor.</summary>
    public RunClaimedException(string message)
        : base(message)
    {
        Run = null!;
    }

    /// <summary>Needed by the analyzers' exception pattern; use the run's constructor.</summary>
    public RunClaimedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Run = null!;
    }

    /// <summary>The run.</summary>
    public DagRun Run { get; }

    /// <summary>The runner that holds it, as the store names it, or null when unknown.</summary>
    public string? Holder { get; }

    /// <summary>The holder's last heartbeat.</summary>
    public DateTimeOffset? HeartbeatAt { get; }
}
