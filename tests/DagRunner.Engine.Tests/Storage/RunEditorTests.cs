using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Engine.Tests.Storage;

/// <summary>Clear and mark by hand (<see cref="RunEditor"/>) on a real SQLite file, with the real executor
/// running the runs before and after: the rules, the events, and the refusal while a live runner holds the run.</summary>
public sealed class RunEditorTests
{
    private const string Elsewhere = "another-host:4242:1:abcdef12";
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class Step(string id, Func<Task> body) : DagTask(id)
    {
        public override async Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            await body();
            return null;
        }
    }

    // extract >> transform >> load, and report alone; each task counts its runs.
    private static DagDefinition Dag(Dictionary<string, int> runs, Func<string, Task>? body = null)
    {
        TaskDefinition Task(string id, string[] up, string[] down) => new()
        {
            TaskId = id,
            Operator = "Step",
            Policy = new TaskPolicy(),
            Upstream = [.. up],
            Downstream = [.. down],
            Instance = new Step(id, async () =>
            {
                lock (runs)
                    runs[id] = runs.GetValueOrDefault(id) + 1;
                if (body is not null)
                    await body(id);
            }),
        };
        return new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Tasks = [Task("extract", [], ["transform"]), Task("transform", ["extract"], ["load"]), Task("load", ["transform"], []), Task("report", [], [])],
        };
    }

    private static DagRun Run(RunType type = RunType.Manual) => new()
    {
        DagId = "d", RunId = DagRun.IdFor(type, Day), RunType = type, LogicalDate = Day, DataIntervalStart = Day, DataIntervalEnd = Day.AddDays(1), QueuedAt = Day,
    };

    private static async Task<DagRun> CreateAsync(TestEngine engine, DagDefinition dag) =>
        await engine.Store.CreateRunAsync(Run(), [.. dag.Tasks.Select(t => t.TaskId)], Token);

    private static async Task<Dictionary<string, TaskInstance>> TasksAsync(TestEngine engine, DagRun run) =>
        (await engine.Store.TaskInstancesAsync("d", run.RunId, Token)).ToDictionary(t => t.TaskId);

    private static RunEditor Editor(TestEngine engine, SqliteRunStore? store = null) => new(store ?? engine.Store, engine.Options, engine.Time);

    // Writes a task's state as a runner would have (with its event).
    private static Task MoveAsync(SqliteRunStore store, TaskInstance task, TaskState to, int tryNumber) =>
        store.UpdateTaskAsync(task with { State = to, TryNumber = tryNumber, StartedAt = Day }, new RunEvent
        {
            DagId = task.DagId, RunId = task.RunId, TaskId = task.TaskId, At = Day, From = TaskStates.Name(task.State), To = TaskStates.Name(to),
        }, Token);

    [Fact]
    public async Task ClearTasks_WithDownstream_ClearsTheTaskAndAllBelowIt_KeepsTryNumbers_QueuesTheRun_TheExecutorRunsOnlyThoseAgain()
    {
        await using var engine = new TestEngine();
        var runs = new Dictionary<string, int>();
        var dag = Dag(runs);
        var run = await engine.Executor.RunAsync(dag, await CreateAsync(engine, dag), new DagRunObserver(), Token);

        var edit = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["transform"], downstream: true, Token);

        Assert.Equal(RunEditOutcome.Done, edit.Outcome);
        Assert.Equal(["transform", "load"], edit.Changed);
        Assert.Equal(DagRunState.Queued, edit.Run!.State);
        Assert.StartsWith("Cleared transform, load in run manual__2026-11-20T00:00:00+00:00 of d; the run is queued. The scheduler runs it", edit.Message, StringComparison.Ordinal);
        var tasks = await TasksAsync(engine, run);
        Assert.Equal((TaskState.None, 1, TaskState.None, 1), (tasks["transform"].State, tasks["transform"].TryNumber, tasks["load"].State, tasks["load"].TryNumber));
        Assert.Equal((TaskState.Success, TaskState.Success), (tasks["extract"].State, tasks["report"].State));
        var events = await engine.Store.EventsAsync("d", run.RunId, Token);
        Assert.Contains(events, e => e is { TaskId: "transform", From: "success", To: "none", Message: "cleared by hand" });
        Assert.Contains(events, e => e is { TaskId: null, From: "success", To: "queued", Message: "cleared by hand (transform, load): queued to run again" });

        var again = await engine.Executor.RunAsync(dag, edit.Run, new DagRunObserver(), Token);

        Assert.Equal(DagRunState.Success, again.State);
        Assert.Equal(new Dictionary<string, int> { ["extract"] = 1, ["transform"] = 2, ["load"] = 2, ["report"] = 1 }, runs);
        Assert.Equal(2, (await TasksAsync(engine, run))["load"].TryNumber);
    }

    [Fact]
    public async Task ClearAndMark_ALiveRunnerOfThisProcessRunsTheTask_RefusedNamingIt_NothingChanges()
    {
        await using var engine = new TestEngine();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dag = Dag([], id => id == "extract" ? Started() : Task.CompletedTask);
        var run = await CreateAsync(engine, dag);
        var running = engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token);
        await started.Task.WaitAsync(Token);

        var clear = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["extract"], downstream: false, Token);
        var mark = await Editor(engine).MarkTaskAsync(dag, run.RunId, "extract", TaskState.Success, Token);
        var markRun = await Editor(engine).MarkRunAsync(dag, run.RunId, DagRunState.Failed, Token);
        var during = await TasksAsync(engine, run);
        release.SetResult();
        var final = await running;

        Assert.All([clear, mark, markRun], e => Assert.Equal(RunEditOutcome.Refused, e.Outcome));
        var process = $"process {Environment.ProcessId} on {Environment.MachineName}";
        Assert.Matches($"^Task 'extract' of run manual__2026-11-20T00:00:00\\+00:00 is running in {process} \\(last heartbeat .* UTC\\): wait for it to end or stop that runner\\.$", clear.Message);
        Assert.Equal(clear.Message, mark.Message);
        Assert.Equal(engine.Options.Owner, clear.Holder);
        Assert.Equal(TaskState.Running, during["extract"].State);
        Assert.Equal(DagRunState.Success, final.State);
        Assert.DoesNotContain(await engine.Store.EventsAsync("d", run.RunId, Token), e => e.Message?.Contains("by hand", StringComparison.Ordinal) == true);

        Task Started()
        {
            started.TrySetResult();
            return release.Task;
        }
    }

    [Fact]
    public async Task ClearTasks_AnotherHostHoldsTheRunWithAFreshHeartbeat_Refused_OnceItGoesStale_ClearedAndTheCutOffAttemptKept()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        await using var otherStore = SqliteRunStore.Open(engine.Folder["state.db"]);
        var dag = Dag([]);
        var run = await CreateAsync(engine, dag);
        Assert.True((await otherStore.ClaimRunAsync("d", run.RunId, Elsewhere, Day, Day.AddMinutes(-1), null, Token)).Held);
        await MoveAsync(otherStore, (await TasksAsync(engine, run))["extract"], TaskState.Running, 1);

        var refused = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["extract"], downstream: true, Token);
        time.Advance(engine.Options.ClaimStaleAfter + TimeSpan.FromSeconds(1));
        var cleared = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["extract"], downstream: true, Token);

        Assert.Equal(RunEditOutcome.Refused, refused.Outcome);
        Assert.Equal("Task 'extract' of run manual__2026-11-20T00:00:00+00:00 is running in process 4242 on another-host (last heartbeat 2026-11-20 00:00:00 UTC): wait for it to end or stop that runner.", refused.Message);
        Assert.Equal(RunEditOutcome.Done, cleared.Outcome);
        Assert.Equal(["extract"], cleared.Changed);   // the tasks below it had not started
        var extract = (await TasksAsync(engine, run))["extract"];
        Assert.Equal((TaskState.None, 1), (extract.State, extract.TryNumber));
        var cut = Assert.Single(await engine.Store.AttemptsAsync("d", run.RunId, Token));
        Assert.Equal((1, TaskState.Failed), (cut.TryNumber, cut.State));
        Assert.StartsWith("cleared by hand while it ran", cut.Error, StringComparison.Ordinal);
        var events = await engine.Store.EventsAsync("d", run.RunId, Token);
        Assert.Contains(events, e => e.Message?.StartsWith($"taken over by ", StringComparison.Ordinal) == true && e.Message.Contains($"from {Elsewhere}", StringComparison.Ordinal));
        // The editor let the run go: a runner claims it at once.
        Assert.True((await engine.Executor.ClaimAsync(run, Token)).Held);
    }

    [Fact]
    public async Task MarkTask_FailedRunsFailedTaskMarkedSuccess_EventSaysByHand_RunStaysFailedUntilTheRestIsCleared()
    {
        await using var engine = new TestEngine();
        var fail = true;
        var dag = Dag([], id => id == "transform" && fail ? throw new InvalidOperationException("boom") : Task.CompletedTask);
        var run = await engine.Executor.RunAsync(dag, await CreateAsync(engine, dag), new DagRunObserver(), Token);
        Assert.Equal(DagRunState.Failed, run.State);

        var mark = await Editor(engine).MarkTaskAsync(dag, run.RunId, "transform", TaskState.Success, Token);
        fail = false;
        var clear = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["load"], downstream: false, Token);
        var final = await engine.Executor.RunAsync(dag, clear.Run!, new DagRunObserver(), Token);

        Assert.Equal(("Marked task 'transform' of run manual__2026-11-20T00:00:00+00:00 success.", DagRunState.Failed), (mark.Message, mark.Run!.State));
        Assert.Contains(await engine.Store.EventsAsync("d", run.RunId, Token), e => e is { TaskId: "transform", From: "failed", To: "success", Message: "marked success by hand" });
        Assert.Equal(DagRunState.Success, final.State);
        Assert.Equal(TaskState.Success, (await TasksAsync(engine, run))["load"].State);
    }

    [Fact]
    public async Task MarkRun_StaleRunWithRunningAndUnstartedTasks_FailedFailsTheRunningSkipsTheRest_SuccessFinishesTheUnfinished()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        var dag = Dag([]);
        var run = await CreateAsync(engine, dag);
        var tasks = await TasksAsync(engine, run);
        await MoveAsync(engine.Store, tasks["extract"], TaskState.Running, 1);
        await MoveAsync(engine.Store, tasks["report"], TaskState.Scheduled, 0);
        var second = await engine.Store.CreateRunAsync(Run() with { RunId = "manual__2", LogicalDate = Day.AddDays(1) }, [.. dag.Tasks.Select(t => t.TaskId)], Token);

        var failed = await Editor(engine).MarkRunAsync(dag, run.RunId, DagRunState.Failed, Token);
        var succeeded = await Editor(engine).MarkRunAsync(dag, second.RunId, DagRunState.Success, Token);
        var again = await Editor(engine).MarkRunAsync(dag, second.RunId, DagRunState.Success, Token);

        Assert.Equal(DagRunState.Failed, failed.Run!.State);
        var after = await TasksAsync(engine, run);
        Assert.Equal(
            (TaskState.Failed, TaskState.Skipped, TaskState.Skipped, TaskState.Skipped),
            (after["extract"].State, after["transform"].State, after["load"].State, after["report"].State));
        Assert.Equal("Marked run manual__2026-11-20T00:00:00+00:00 of d failed (extract failed, load skipped, report skipped, transform skipped).", failed.Message);
        Assert.All((await TasksAsync(engine, second)).Values, t => Assert.Equal(TaskState.Success, t.State));
        Assert.Equal(DagRunState.Success, (await engine.Store.FindRunAsync("d", second.RunId, Token))!.State);
        Assert.Equal(["extract", "transform", "load", "report"], succeeded.Changed);
        Assert.Equal(("Run manual__2 of d is success already.", 0), (again.Message, again.Changed.Length));
        Assert.Contains(await engine.Store.EventsAsync("d", run.RunId, Token), e => e is { TaskId: null, To: "failed", Message: "marked by hand" });
    }

    [Fact]
    public async Task Edits_UnknownRunOrTask_NotFoundNamingIt()
    {
        await using var engine = new TestEngine();
        var dag = Dag([]);
        var run = await CreateAsync(engine, dag);

        var noRun = await Editor(engine).MarkRunAsync(dag, "nope", DagRunState.Success, Token);
        var noTask = await Editor(engine).ClearTasksAsync(dag, run.RunId, ["extract", "nope"], downstream: false, Token);

        Assert.Equal((RunEditOutcome.NotFound, "DAG 'd' has no run 'nope'."), (noRun.Outcome, noRun.Message));
        Assert.Equal((RunEditOutcome.NotFound, "Run manual__2026-11-20T00:00:00+00:00 of d has no task 'nope'. Its tasks: extract, transform, load, report."), (noTask.Outcome, noTask.Message));
        Assert.All((await TasksAsync(engine, run)).Values, t => Assert.Equal(TaskState.None, t.State));
    }
}
