using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Web.Tests;

/// <summary>Runs written through the run store's own API, in the states a test needs (as a runner would leave them).</summary>
internal static class StoreSeed
{
    /// <summary>Creates a scheduled run of <paramref name="day"/> with <paramref name="conf"/>, its tasks in
    /// the given states, and the run in <paramref name="state"/>.</summary>
    public static async Task<DagRun> RunAsync(IRunStore store, string dagId, DateTimeOffset day, DagRunState state, string conf, IReadOnlyDictionary<string, TaskState> tasks, CancellationToken cancellationToken)
    {
        var run = await store.CreateRunAsync(new DagRun
        {
            DagId = dagId,
            RunId = DagRun.IdFor(RunType.Scheduled, day),
            RunType = RunType.Scheduled,
            LogicalDate = day,
            DataIntervalStart = day,
            DataIntervalEnd = day.AddDays(1),
            Conf = conf,
            QueuedAt = day.AddDays(1),
        }, [.. tasks.Keys], cancellationToken);
        var started = day.AddDays(1).AddMinutes(1);
        var changes = tasks.Where(t => t.Value != TaskState.None).Select(t => (
            new TaskInstance { DagId = dagId, RunId = run.RunId, TaskId = t.Key, State = t.Value, TryNumber = 1, StartedAt = started, EndedAt = started.AddSeconds(90) },
            new RunEvent { DagId = dagId, RunId = run.RunId, TaskId = t.Key, TryNumber = 1, At = started, From = "none", To = TaskStates.Snake(t.Value.ToString()) })).ToList();
        await store.UpdateTasksAsync(changes, cancellationToken);
        var ended = run with { State = state, StartedAt = started, EndedAt = started.AddMinutes(5) };
        await store.UpdateRunAsync(ended, new RunEvent { DagId = dagId, RunId = run.RunId, At = started, From = "queued", To = TaskStates.Snake(state.ToString()) }, cancellationToken);
        return ended;
    }
}
