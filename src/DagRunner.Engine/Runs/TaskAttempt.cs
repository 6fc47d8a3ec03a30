using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Runs;

/// <summary>One attempt of a task instance, as the run store keeps it once it ended.</summary>
public sealed record TaskAttempt
{
    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The attempt's number, from 1.</summary>
    public required int TryNumber { get; init; }

    /// <summary>How it ended: success, up_for_retry or failed.</summary>
    public required TaskState State { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Its log file; null when it wrote nothing.</summary>
    public string? LogFile { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>The fields and statements it ran with, rendered, as JSON (secrets masked).</summary>
    public string? RenderedFields { get; init; }

    /// <summary>The current attempt of <paramref name="task"/>, ended at <paramref name="at"/> as <paramref name="outcome"/>.</summary>
    public static TaskAttempt EndedOf(TaskInstance task, TaskState outcome, DateTimeOffset at, string? logFile, string? error, string? renderedFields = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskAttempt
        {
            DagId = task.DagId,
            RunId = task.RunId,
            TaskId = task.TaskId,
            TryNumber = task.TryNumber,
            State = outcome,
            StartedAt = task.StartedAt,
            EndedAt = at,
            LogFile = logFile,
            Error = error,
            RenderedFields = renderedFields,
        };
    }
}
