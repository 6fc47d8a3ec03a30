using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Storage.Sqlite;

namespace DagRunner.Bench.Web;

/// <summary>Fills a real SQLite store through the store's API, as runners would have: runs spread over the
/// DAGs with their task instances in final states (some failed, the latest of a few still running).</summary>
internal static class StoreSeeder
{
    private static readonly DateTimeOffset First = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Seeds <paramref name="gridRuns"/> runs of the grid DAG, then runs round-robin over the
    /// others until <paramref name="taskInstances"/> task instances are stored; returns the run count.</summary>
    public static async Task<int> SeedAsync(string path, int dagCount, int gridRuns, int taskInstances, CancellationToken cancellationToken)
    {
        await using var store = SqliteRunStore.Open(path);
        var plan = new List<(int Dag, int Day)>();
        var stored = 0;
        for (var day = 0; day < gridRuns; day++, stored += WebDagFiles.Tasks(0))
            plan.Add((0, day));
        for (var n = 0; stored + WebDagFiles.Tasks(1 + (n % (dagCount - 1))) <= taskInstances; n++)
        {
            var dag = 1 + (n % (dagCount - 1));
            plan.Add((dag, n / (dagCount - 1)));
            stored += WebDagFiles.Tasks(dag);
        }

        // The writer commits waiting changes together: seed many runs at once.
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (item, ct) => await SeedRunAsync(store, item.Dag, item.Day, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return plan.Count;
    }

    private static async Task SeedRunAsync(SqliteRunStore store, int dag, int day, CancellationToken cancellationToken)
    {
        var dagId = WebDagFiles.Id(dag);
        var date = First.AddDays(day);
        var taskIds = Enumerable.Range(0, WebDagFiles.Tasks(dag)).Select(t => $"task_{t:D2}").ToList();
        var conf = day % 3 == 0 ? """{"password": "bench-secret", "limit": 100}""" : """{"limit": 100}""";
        var run = await store.CreateRunAsync(new DagRun
        {
            DagId = dagId, RunId = DagRun.IdFor(RunType.Scheduled, date), RunType = RunType.Scheduled, LogicalDate = date,
            DataIntervalStart = date, DataIntervalEnd = date.AddDays(1), Conf = conf, QueuedAt = date.AddDays(1),
        }, taskIds, cancellationToken).ConfigureAwait(false);
        var failedAt = (dag + day) % 7 == 0 ? taskIds.Count / 2 : int.MaxValue;
        var started = date.AddDays(1).AddMinutes(1);
        var changes = taskIds.Select((taskId, i) =>
        {
            var state = i < failedAt ? TaskState.Success : i == failedAt ? TaskState.Failed : TaskState.UpstreamFailed;
            var task = new TaskInstance
            {
                DagId = dagId, RunId = run.RunId, TaskId = taskId, State = state, TryNumber = state == TaskState.UpstreamFailed ? 0 : 1,
                StartedAt = started.AddSeconds(i * 20), EndedAt = started.AddSeconds(i * 20 + 15),
            };
            return (task, new RunEvent { DagId = dagId, RunId = run.RunId, TaskId = taskId, TryNumber = 1, At = started, From = "none", To = TaskStates.Snake(state.ToString()) });
        }).ToList();
        await store.UpdateTasksAsync(changes, cancellationToken).ConfigureAwait(false);
        var final = failedAt == int.MaxValue ? DagRunState.Success : DagRunState.Failed;
        await store.UpdateRunAsync(run with { State = final, StartedAt = started, EndedAt = started.AddMinutes(15) },
            new RunEvent { DagId = dagId, RunId = run.RunId, At = started, From = "queued", To = TaskStates.Snake(final.ToString()) }, cancellationToken).ConfigureAwait(false);
    }
}
