using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Runs;

// The changes themselves, computed from the run as the store holds it under the editor's claim. They do
// not go through TaskMachine: a change by hand may move a final task (success back to none), which no
// runner may do; each is still a compare-and-set on the state read here, with its event.
public sealed partial class RunEditor
{
    private static Change Clear(DagDefinition dag, DagRun run, IReadOnlyDictionary<string, TaskInstance> tasks, IReadOnlyList<string> targets, DateTimeOffset now)
    {
        var moves = new List<(TaskInstance, RunEvent)>();
        var attempts = new List<TaskAttempt>();
        foreach (var id in Ordered(dag, targets))
        {
            if (!tasks.TryGetValue(id, out var task) || task.State == TaskState.None)
                continue;
            if (task.State == TaskState.Running)
                attempts.Add(CutOff(task, TaskState.Failed, now, "cleared by hand while it ran (its runner was gone): the next try follows its remote job if that still runs"));
            var cleared = task with { State = TaskState.None, StartedAt = null, EndedAt = null, RetryAt = null, Output = null, LogFile = null, Error = null };
            moves.Add((cleared, Event(task, cleared, now, "cleared by hand")));
        }

        if (moves.Count == 0)
            return new Change(moves, attempts, null, null, $"Nothing to clear in run {run.RunId}: {string.Join(", ", Ordered(dag, targets))} had not started.");
        var queued = run with { State = DagRunState.Queued, StartedAt = null, EndedAt = null };
        var names = string.Join(", ", moves.Select(m => m.Item1.TaskId));
        return new Change(moves, attempts, queued, $"cleared by hand ({names}): queued to run again",
            $"Cleared {names} in run {run.RunId} of {run.DagId}; the run is queued. {WhoRuns(run)}");
    }

    private static Change MarkTask(DagDefinition dag, DagRun run, IReadOnlyDictionary<string, TaskInstance> tasks, string taskId, TaskState to, DateTimeOffset now)
    {
        var task = tasks[taskId];
        var word = TaskStates.Name(to);
        if (task.State == to)
            return new Change([], [], null, null, $"Task '{taskId}' of run {run.RunId} is {word} already.");
        var attempts = new List<TaskAttempt>();
        if (task.State == TaskState.Running)
            attempts.Add(CutOff(task, to, now, $"marked {word} by hand while it ran (its runner was gone)"));
        var marked = Marked(task, to, now);
        var moves = new List<(TaskInstance, RunEvent)> { (marked, Event(task, marked, now, $"marked {word} by hand")) };
        var after = tasks.Values.Select(t => t.TaskId == taskId ? marked : t).ToList();
        var (moved, why) = RunAfter(dag, run, after, now);
        var follows = moved is null ? "" : moved.State == DagRunState.Queued ? $" The run is queued again. {WhoRuns(run)}" : $" The run is {TaskStates.Snake(moved.State.ToString())}.";
        return new Change(moves, attempts, moved, why, $"Marked task '{taskId}' of run {run.RunId} {word}.{follows}");
    }

    private static Change MarkRun(DagRun run, IReadOnlyDictionary<string, TaskInstance> tasks, DagRunState to, DateTimeOffset now)
    {
        var word = TaskStates.Snake(to.ToString());
        var moves = new List<(TaskInstance, RunEvent)>();
        var attempts = new List<TaskAttempt>();
        foreach (var task in tasks.Values.Where(t => !TaskMachine.IsFinal(t.State)).OrderBy(t => t.TaskId, StringComparer.Ordinal))
        {
            // Airflow's mark: success finishes every unfinished task; failed fails what had started and skips the rest.
            var state = to == DagRunState.Success ? TaskState.Success
                : task.State is TaskState.Running or TaskState.Queued ? TaskState.Failed
                : TaskState.Skipped;
            if (task.State == TaskState.Running)
                attempts.Add(CutOff(task, state, now, $"the run was marked {word} by hand while it ran (its runner was gone)"));
            var marked = Marked(task, state, now);
            moves.Add((marked, Event(task, marked, now, $"run marked {word} by hand")));
        }

        if (moves.Count == 0 && run.State == to)
            return new Change(moves, attempts, null, null, $"Run {run.RunId} of {run.DagId} is {word} already.");
        var ended = run with { State = to, EndedAt = now };
        var changed = moves.Count == 0 ? "" : $" ({string.Join(", ", moves.Select(m => $"{m.Item1.TaskId} {TaskStates.Name(m.Item1.State)}"))})";
        return new Change(moves, attempts, ended, "marked by hand", $"Marked run {run.RunId} of {run.DagId} {word}{changed}.");
    }

    // The run's state after a task was marked: decided as the executor decides it when every task is
    // final (a leaf failed or upstream_failed fails it), queued again when it had ended and some are not.
    private static (DagRun? Run, string? Why) RunAfter(DagDefinition dag, DagRun run, List<TaskInstance> tasks, DateTimeOffset now)
    {
        if (tasks.All(t => TaskMachine.IsFinal(t.State)))
        {
            var failed = tasks.Any(t => dag.FindTask(t.TaskId) is { Downstream.Length: 0 } && t.State is TaskState.Failed or TaskState.UpstreamFailed);
            var state = failed ? DagRunState.Failed : DagRunState.Success;
            return state == run.State ? (null, null) : (run with { State = state, EndedAt = now }, "a task was marked by hand");
        }

        return run.State is DagRunState.Success or DagRunState.Failed
            ? (run with { State = DagRunState.Queued, EndedAt = null }, "a task was marked by hand: queued to run the rest")
            : (null, null);
    }

    private static TaskInstance Marked(TaskInstance task, TaskState to, DateTimeOffset now) => task with
    {
        State = to,
        StartedAt = task.StartedAt ?? now,
        EndedAt = now,
        RetryAt = null,
        Error = to == TaskState.Failed ? "marked failed by hand" : null,
    };

    // The attempt a change by hand cut off, recorded so its log stays listed with the task's attempts.
    private static TaskAttempt CutOff(TaskInstance task, TaskState outcome, DateTimeOffset now, string why) =>
        TaskAttempt.EndedOf(task, outcome, now, task.LogFile, why);

    private static RunEvent Event(TaskInstance before, TaskInstance after, DateTimeOffset now, string message) => new()
    {
        DagId = before.DagId,
        RunId = before.RunId,
        TaskId = before.TaskId,
        TryNumber = after.TryNumber,
        At = now,
        From = TaskStates.Name(before.State),
        To = TaskStates.Name(after.State),
        Message = message,
    };
}
