using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Execution;

/// <summary>
/// The task instance state machine, pure: which moves are allowed, and each move as the new task
/// instance plus the event that records it. The executor only changes state through here.
/// </summary>
public static class TaskMachine
{
    private static readonly Dictionary<TaskState, TaskState[]> Allowed = new()
    {
        [TaskState.None] = [TaskState.Scheduled, TaskState.Skipped, TaskState.UpstreamFailed, TaskState.Removed],
        [TaskState.Scheduled] = [TaskState.Queued, TaskState.Removed],
        [TaskState.Queued] = [TaskState.Running, TaskState.Scheduled, TaskState.Failed, TaskState.Removed],
        // Running to running: a restarted runner resumes the same attempt (it follows its remote job).
        [TaskState.Running] = [TaskState.Success, TaskState.Failed, TaskState.UpForRetry, TaskState.Running, TaskState.Removed],
        [TaskState.UpForRetry] = [TaskState.Scheduled, TaskState.Failed, TaskState.Removed],
        [TaskState.Success] = [],
        [TaskState.Failed] = [],
        [TaskState.Skipped] = [],
        [TaskState.UpstreamFailed] = [],
        [TaskState.Removed] = [],
    };

    /// <summary>Whether <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(TaskState from, TaskState to) => Allowed[from].Contains(to);

    /// <summary>Whether the state is final.</summary>
    public static bool IsFinal(TaskState state) => Allowed[state].Length == 0;

    /// <summary>The task instance after the move, and the event that records it.</summary>
    /// <exception cref="InvalidOperationException">The move is not allowed.</exception>
    public static (TaskInstance Task, RunEvent Event) Move(TaskInstance task, TaskState to, DateTimeOffset at, string? message = null, Func<TaskInstance, TaskInstance>? change = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!CanMove(task.State, to))
            throw new InvalidOperationException($"Task '{task.TaskId}' of run {task.RunId} cannot go from {TaskStates.Name(task.State)} to {TaskStates.Name(to)}.");
        var moved = (change?.Invoke(task) ?? task) with { State = to };
        if (IsFinal(to))
            moved = moved with { EndedAt = at };
        return (moved, new RunEvent
        {
            DagId = task.DagId,
            RunId = task.RunId,
            TaskId = task.TaskId,
            TryNumber = moved.TryNumber,
            At = at,
            From = TaskStates.Name(task.State),
            To = TaskStates.Name(to),
            Message = message,
        });
    }
}
