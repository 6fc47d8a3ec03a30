using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Runs;

/// <summary>One task of one run, as the run store keeps it.</summary>
public sealed record TaskInstance
{
    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The state.</summary>
    public TaskState State { get; init; } = TaskState.None;

    /// <summary>The number of the current (or last) attempt; 0 before the first.</summary>
    public int TryNumber { get; init; }

    /// <summary>When the current (or last) attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the task reached a final state.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When an <see cref="TaskState.UpForRetry"/> task may be tried again.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The output, as JSON, once the task succeeded with one.</summary>
    public string? Output { get; init; }

    /// <summary>The last attempt's log file.</summary>
    public string? LogFile { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public string? Error { get; init; }
}
