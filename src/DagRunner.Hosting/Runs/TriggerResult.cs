using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>How queuing a manual run ended.</summary>
public enum TriggerOutcome
{
    /// <summary>The run was queued for the scheduler.</summary>
    Queued,

    /// <summary>A run of that id exists already; nothing was queued.</summary>
    RunExists,

    /// <summary>Another run (scheduled or backfill) has that logical date; nothing was queued.</summary>
    DateTaken,
}

/// <summary>The result of queuing a manual run.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Run">The queued run, or the existing run that prevented it.</param>
public sealed record TriggerResult(TriggerOutcome Outcome, DagRun Run);
