using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Sdk;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Engine.Tests.Execution;

/// <summary>Run claims in the executor and the scheduler, on a real SQLite file shared by two store
/// instances (two runners), driven by a fake clock: a held run is left alone, a stale one taken over.</summary>
public sealed class RunClaimExecutorTests
{
    private const string Elsewhere = "another-host:4242:1:abcdef12";
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class Counting(string id, Action ran) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            ran();
            return Task.FromResult<object?>(null);
        }
    }

    private static DagDefinition Dag(Action ran, DateTimeOffset? start = null) => new()
    {
        DagId = "d",
        File = "d.csx",
        Schedule = "@daily",
        Catchup = true,
        StartDate = start ?? Day.AddDays(-5),
        Tasks = [new TaskDefinition { TaskId = "t", Operator = "Counting", Policy = new TaskPolicy(), Instance = new Counting("t", ran) }],
    };

    private static DagRun Run(RunType type, DateTimeOffset date) => new()
    {
        DagId = "d",
        RunId = DagRun.IdFor(type, date),
        RunType = type,
        LogicalDate = date,
        DataIntervalStart = date,
        DataIntervalEnd = date.AddDays(1),
        QueuedAt = Day,
    };

    [Fact]
    public async Task RunAsync_AnotherRunnerHoldsTheRun_NothingRuns_WhenItsHeartbeatGoesStale_TheRunIsTakenOver()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        await using var otherStore = SqliteRunStore.Open(engine.Folder["state.db"]);
        var other = new DagRunExecutor(otherStore, engine.Slots, new ExecutorOptions { LogsFolder = engine.Options.LogsFolder, Owner = Elsewhere }, time);
        var ran = 0;
        var dag = Dag(() => Interlocked.Increment(ref ran));
        var run = await engine.Store.CreateRunAsync(Run(RunType.Backfill, Day), ["t"], Token);
        Assert.True((await other.ClaimAsync(run, Token)).Held);

        var refused = await Assert.ThrowsAsync<RunClaimedException>(() => engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token));
        time.Advance(engine.Options.ClaimStaleAfter + TimeSpan.FromSeconds(1));
        var final = await engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token);

        Assert.Equal((Elsewhere, "Run backfill__2026-11-20T00:00:00+00:00 of d is being run by process 4242 on another-host."), (refused.Holder, refused.Message));
        Assert.Equal(DagRunState.Success, final.State);
        Assert.Equal(1, ran);
        Assert.Contains(await engine.Store.EventsAsync("d", run.RunId, Token), e => e.Message == $"taken over by {engine.Options.Owner} from {Elsewhere} (its last heartbeat was at 2026-11-20T00:00:00.0000000Z)");
        // Released at the end: the other runner may claim it at once (and finds it finished).
        Assert.True((await other.ClaimAsync(run, Token)).Held);
    }

    [Fact]
    public async Task RunAsync_TakenOverWhileRunning_TheNextHeartbeatFindsOut_StopsStartingTasks_LeavesTheRunToTheNewHolder()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ranB = 0;
        var dag = new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Tasks =
            [
                new TaskDefinition { TaskId = "a", Operator = "Waiting", Policy = new TaskPolicy(), Instance = new Waiting("a", started) },
                new TaskDefinition { TaskId = "b", Operator = "Counting", Policy = new TaskPolicy(), Upstream = ["a"], Instance = new Counting("b", () => Interlocked.Increment(ref ranB)) },
            ],
        };
        var run = await engine.Store.CreateRunAsync(Run(RunType.Backfill, Day), ["a", "b"], Token);

        var running = engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token);
        await started.Task.WaitAsync(Token);
        // Another runner judged this one stale (a long pause) and took the run.
        Assert.True((await engine.Store.ClaimRunAsync("d", run.RunId, Elsewhere, time.GetUtcNow(), time.GetUtcNow().AddDays(1), null, Token)).Held);
        time.Advance(engine.Options.ClaimHeartbeat);

        await Assert.ThrowsAsync<RunClaimedException>(() => running);
        Assert.Equal(0, ranB);
        var tasks = (await engine.Store.TaskInstancesAsync("d", run.RunId, Token)).ToDictionary(t => t.TaskId);
        Assert.Equal((TaskState.Running, TaskState.None), (tasks["a"].State, tasks["b"].State));
        // The new holder keeps it: the old one did not release what it no longer held.
        Assert.False((await engine.Executor.ClaimAsync(run, Token)).Held);
    }

    private sealed class Waiting(string id, TaskCompletionSource started) : DagTask(id)
    {
        public override async Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            started.TrySetResult();
            // Ends only when the runner detaches: what a remote job's follower does.
            await Task.Delay(Timeout.Infinite, context.DetachToken);
            return null;
        }
    }

    [Fact]
    public async Task RunAsync_ARunAnotherRunnerFinishedBeforeTheClaim_IsReturnedAsItIs_NotRunAgain()
    {
        await using var engine = new TestEngine();
        await using var otherStore = SqliteRunStore.Open(engine.Folder["state.db"]);
        var other = new DagRunExecutor(otherStore, engine.Slots, new ExecutorOptions { LogsFolder = engine.Options.LogsFolder, Owner = Elsewhere }, TimeProvider.System);
        var ran = 0;
        var dag = Dag(() => Interlocked.Increment(ref ran));
        // Both got the queued run from CreateRunAsync; the other one ran it first.
        var run = await engine.Store.CreateRunAsync(Run(RunType.Backfill, Day), ["t"], Token);
        await other.RunAsync(dag, run, new DagRunObserver(), Token);

        var final = await engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token);

        Assert.Equal(DagRunState.Success, final.State);
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task SchedulerPass_DatesABackfillHas_AreNotRunAgain_ARunAnotherRunnerHolds_IsLeftAloneWithoutFailing()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var ran = 0;
        var dag = Dag(() => Interlocked.Increment(ref ran));
        await engine.Store.CreateRunAsync(Run(RunType.Backfill, Day.AddDays(-3)) with { State = DagRunState.Success }, ["t"], Token);
        var held = await engine.Store.CreateRunAsync(Run(RunType.Manual, Day.AddDays(-1)), ["t"], Token);
        await engine.Store.ClaimRunAsync("d", held.RunId, Elsewhere, time.GetUtcNow(), time.GetUtcNow().AddMinutes(-1), null, Token);
        using var scheduler = new DagScheduler(engine.Store, engine.Executor, time, new SchedulerOptions(), _ => Task.FromResult<IReadOnlyList<DagDefinition>>([dag]));
        var failures = new List<string>();
        scheduler.Failed += (what, e) => failures.Add($"{what}: {e.Message}");

        await scheduler.TickAsync(Token);
        await scheduler.IdleAsync();

        var runs = (await engine.Store.ListRunsAsync("d", null, Token)).OrderBy(r => r.LogicalDate).ToList();
        Assert.Equal(
            ["scheduled__2026-11-15T00:00:00+00:00", "scheduled__2026-11-16T00:00:00+00:00", "backfill__2026-11-17T00:00:00+00:00", "scheduled__2026-11-18T00:00:00+00:00", "manual__2026-11-19T00:00:00+00:00"],
            runs.Select(r => r.RunId));
        Assert.Equal(DagRunState.Queued, runs[^1].State);
        Assert.Equal(3, ran);
        Assert.Empty(failures);
    }
}
