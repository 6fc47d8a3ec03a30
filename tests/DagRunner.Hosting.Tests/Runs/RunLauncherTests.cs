using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.Runs;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>The launcher on a real SQLite run store: backfill creates the scheduler's run records,
/// trigger and task test keep their rules.</summary>
public sealed class RunLauncherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RunLauncher Launcher(TestEngine engine) => new(engine.Store, engine.Executor, engine.Runner, engine.Time);

    private static async Task<List<DagRun>> RunsAsync(TestEngine engine) =>
        [.. (await engine.Store.ListRunsAsync("etl", null, Token)).OrderBy(r => r.LogicalDate)];

    private static async Task<List<DagRun>> ScheduleAsync(TestEngine engine)
    {
        var dag = RunDags.Daily();
        using var scheduler = new DagScheduler(engine.Store, engine.Executor, engine.Time, new SchedulerOptions(), _ => Task.FromResult<IReadOnlyList<Engine.Definitions.DagDefinition>>([dag]));
        await scheduler.TickAsync(Token);
        await scheduler.IdleAsync();
        return await RunsAsync(engine);
    }

    [Fact]
    public async Task Backfill_TheSchedulersIntervals_CreatesTheSameRunRecordsAsTheScheduler()
    {
        var time = new FakeTimeProvider(RunDags.Day.AddHours(1));
        await using var scheduled = new TestEngine(time);
        await using var backfilled = new TestEngine(time);

        var byScheduler = await ScheduleAsync(scheduled);
        var dag = RunDags.Daily();
        var intervals = RunLauncher.BackfillIntervals(dag, RunDags.Day.AddDays(-3), RunDags.Day.AddDays(-1));
        var results = await Launcher(backfilled).BackfillAsync(dag, intervals, new DagRunObserver(), waiting: null, Token);
        var byBackfill = await RunsAsync(backfilled);

        Assert.Equal(3, byScheduler.Count);
        Assert.Equal(
            byScheduler.Select(r => (r.RunId.Replace("scheduled__", "backfill__", StringComparison.Ordinal), r.LogicalDate, r.DataIntervalStart, r.DataIntervalEnd, r.QueuedAt, r.Conf, r.State)),
            byBackfill.Select(r => (r.RunId, r.LogicalDate, r.DataIntervalStart, r.DataIntervalEnd, r.QueuedAt, r.Conf, r.State)));
        Assert.Equal("scheduled__2026-11-17T00:00:00+00:00", byScheduler[0].RunId);
        Assert.All(byScheduler, r => Assert.Equal(RunType.Scheduled, r.RunType));
        Assert.All(byBackfill, r => Assert.Equal(RunType.Backfill, r.RunType));
        Assert.All(results, r => Assert.Equal(DagRunState.Success, r.State));
        for (var i = 0; i < byScheduler.Count; i++)
        {
            var schedulerTasks = await scheduled.Store.TaskInstancesAsync("etl", byScheduler[i].RunId, Token);
            var backfillTasks = await backfilled.Store.TaskInstancesAsync("etl", byBackfill[i].RunId, Token);
            Assert.Equal(schedulerTasks.Select(t => (t.TaskId, t.State)).Order(), backfillTasks.Select(t => (t.TaskId, t.State)).Order());
        }
    }

    [Fact]
    public async Task Backfill_DatesTheSchedulerRan_ReturnsThoseRunsAndCreatesNone()
    {
        var time = new FakeTimeProvider(RunDags.Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var byScheduler = await ScheduleAsync(engine);
        var dag = RunDags.Daily();

        var results = await Launcher(engine).BackfillAsync(dag, RunLauncher.BackfillIntervals(dag, RunDags.Day.AddDays(-3), RunDags.Day.AddDays(-1)), new DagRunObserver(), waiting: null, Token);

        Assert.Equal(byScheduler.Select(r => r.RunId), results.OrderBy(r => r.LogicalDate).Select(r => r.RunId));
        Assert.Equal(byScheduler, await RunsAsync(engine));
    }

    [Fact]
    public async Task Trigger_Twice_QueuesOnceThenSaysTheRunExists()
    {
        var time = new FakeTimeProvider(RunDags.Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var launcher = Launcher(engine);
        var request = RunInput.Request(RunDags.Day.AddDays(5), null, time);

        var first = await launcher.TriggerAsync(RunDags.Daily(), request, Token);
        var second = await launcher.TriggerAsync(RunDags.Daily(), request, Token);

        Assert.Equal(TriggerOutcome.Queued, first.Outcome);
        Assert.Equal("manual__2026-11-25T00:00:00+00:00", first.Run.RunId);
        Assert.Equal(DagRunState.Queued, first.Run.State);
        Assert.Equal(TriggerOutcome.RunExists, second.Outcome);
        Assert.Equal(first.Run.RunId, second.Run.RunId);
    }

    [Fact]
    public async Task Trigger_DateOfAScheduledRun_SaysTheDateIsTaken()
    {
        var time = new FakeTimeProvider(RunDags.Day.AddHours(1));
        await using var engine = new TestEngine(time);
        await ScheduleAsync(engine);

        var result = await Launcher(engine).TriggerAsync(RunDags.Daily(), RunInput.Request(RunDags.Day.AddDays(-2), null, time), Token);

        Assert.Equal(TriggerOutcome.DateTaken, result.Outcome);
        Assert.Equal("scheduled__2026-11-18T00:00:00+00:00", result.Run.RunId);
    }

    [Fact]
    public async Task TestTask_DownstreamTask_RunsAloneInATestRun()
    {
        var time = new FakeTimeProvider(RunDags.Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var dag = RunDags.Daily();

        var test = RunLauncher.PlanTaskTest(dag, dag.FindTask("load")!, RunInput.Request(RunDags.Day, null, time));
        var outcome = await Launcher(engine).TestTaskAsync(test, new DagRunObserver(), Token);

        Assert.Equal("test__2026-11-20T00:00:00+00:00", test.Request.RunId);
        Assert.Equal(["load"], test.Dag.Tasks.Select(t => t.TaskId));
        Assert.Equal(("load", TaskState.Success), (outcome.TaskId, outcome.State));
        var run = Assert.Single(await RunsAsync(engine));
        Assert.Equal(RunType.Test, run.RunType);
    }
}
