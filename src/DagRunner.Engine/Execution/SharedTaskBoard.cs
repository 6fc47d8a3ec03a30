using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Execution;

/// <summary>
/// The shared tasks of a server store as one process sees them: the store's queue, and the signals by which
/// this process's run drivers and its worker wake each other at once (a driver scheduled tasks; the worker wrote
/// outcomes) instead of at their next poll. Other processes' changes are seen at the poll.
/// </summary>
public sealed class SharedTaskBoard(ISharedTasks tasks, SharedTaskOptions options)
{
    /// <summary>The store's shared tasks.</summary>
    public ISharedTasks Tasks => tasks;

    /// <summary>How often drivers and workers look at the store for other processes' changes.</summary>
    public SharedTaskOptions Options => options;

    /// <summary>Raised when a driver of this process marked tasks scheduled.</summary>
    public event Action? Scheduled;

    /// <summary>Raised when the worker of this process wrote outcomes, with the task instances as written: this
    /// process's drivers take them as they are, without reading them back.</summary>
    public event Action<IReadOnlyList<TaskInstance>>? Finished;

    internal void OnScheduled() => Scheduled?.Invoke();

    internal void OnFinished(IReadOnlyList<TaskInstance> written) => Finished?.Invoke(written);
}

/// <summary>How a process takes part in the shared task queue.</summary>
public sealed record SharedTaskOptions
{
    /// <summary>How often a run's driver and a worker look at the store for what other processes changed. Default:
    /// 250 milliseconds (a claim or a run's task list is one indexed query).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a worker whose attempts begin to end waits for more of them to end before it writes their
    /// outcomes (one transaction, one disk flush, for all). Default: 5 milliseconds: nothing beside a task that ran
    /// for minutes, most of the cost of a flood of short tasks.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The most tasks one claim takes. Default: 64.</summary>
    public int ClaimBatch { get; init; } = 64;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "Must be positive.");
        if (BatchWindow < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BatchWindow), BatchWindow, "Must not be negative.");
        if (ClaimBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(ClaimBatch), ClaimBatch, "At least one task per claim.");
    }
}
