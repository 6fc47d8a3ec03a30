using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Runs;

/// <summary>How a test run ended, task by task, in the order they were decided.</summary>
public sealed record DagTestResult(string DagId, string RunId, IReadOnlyList<TaskOutcome> Tasks)
{
    /// <summary>True when no task failed or was stopped by an upstream failure.</summary>
    public bool Succeeded => Tasks.All(t => t.State is TaskState.Success or TaskState.Skipped);

    /// <summary>The runner that was killed while running this run, when this test continued its run
    /// (following its remote jobs) instead of starting a new one; null for a fresh run.</summary>
    public string? ContinuedFrom { get; init; }
}
