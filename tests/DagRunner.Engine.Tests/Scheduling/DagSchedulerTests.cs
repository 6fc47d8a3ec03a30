using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Sdk;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Engine.Tests.Scheduling;

/// <summary>The scheduler driven by a fake clock, on a real SQLite store: no sleeps.</summary>
public sealed class DagSchedulerTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class NoOp(string id) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(context.Ds);
    }

    private static DagDefinition Dag(string schedule = "@daily", bool catchup = true, int maxActiveRuns = 16, DateTimeOffset? start = null, string timeZone = "UTC") => new()
    {
        DagId = "d",
        File = "d.csx",
        Schedule = schedule,
        Catchup = catchup,
        MaxActiveRuns = maxActiveRuns,
        StartDate = start ?? Day.AddDays(-5),
        TimeZone = timeZone,
        Tasks = [new TaskDefinition { TaskId = "t", Operator = "NoOp", Policy = new TaskPolicy(), Instance = new NoOp("t") }],
    };

    private static (DagScheduler Scheduler, Action<DagDefinition> Use) Scheduler(TestEngine engine, DagDefinition dag)
    {
        var current = dag;
        var scheduler = new DagScheduler(engine.Store, engine.Executor, engine.Time, new SchedulerOptions(), _ => Task.FromResult<IReadOnlyList<DagDefinition>>([current]));
        return (scheduler, d => current = d);
    }

    private static async Task<List<DagRun>> PassAsync(DagScheduler scheduler, TestEngine engine)
    {
        await scheduler.TickAsync(Token);
        await scheduler.IdleAsync();
        return [.. (await engine.Store.ListRunsAsync("d", null, Token)).OrderBy(r => r.LogicalDate)];
    }

    [Fact]
    public async Task CatchupOn_CreatesEveryMissedInterval_ThenOneMorePerDay()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag());
        using var _scheduler = scheduler;

        var runs = await PassAsync(scheduler, engine);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => Day.AddDays(-5 + i)), runs.Select(r => r.LogicalDate));
        Assert.All(runs, r => Assert.Equal(DagRunState.Success, r.State));
        Assert.All(runs, r => Assert.Equal(r.LogicalDate.AddDays(1), r.DataIntervalEnd));
        Assert.Equal("scheduled__2026-11-15T00:00:00+00:00", runs[0].RunId);
        Assert.Equal(5, (await PassAsync(scheduler, engine)).Count);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(Day, (await PassAsync(scheduler, engine))[^1].LogicalDate);
    }

    [Fact]
    public async Task CatchupOff_CreatesOnlyTheLatestInterval()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(catchup: false));
        using var _scheduler = scheduler;

        var runs = await PassAsync(scheduler, engine);

        Assert.Equal([Day.AddDays(-1)], runs.Select(r => r.LogicalDate));
    }

    [Fact]
    public async Task MaxActiveRuns_LimitsRunsCreatedAndStarted()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(maxActiveRuns: 2));
        using var _scheduler = scheduler;

        await scheduler.TickAsync(Token);
        var first = await engine.Store.ListRunsAsync("d", null, Token);
        await scheduler.IdleAsync();

        Assert.Equal(2, first.Count);
        Assert.Equal(4, (await PassAsync(scheduler, engine)).Count);
        Assert.Equal(5, (await PassAsync(scheduler, engine)).Count);
    }

    [Fact]
    public async Task MonthsOfDailySchedule_DrivenByTheFakeClock()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(start: Day, catchup: false));
        using var _scheduler = scheduler;

        for (var day = 0; day < 90; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await PassAsync(scheduler, engine);
        }

        var runs = await engine.Store.ListRunsAsync("d", null, Token);
        Assert.Equal(90, runs.Count);
        Assert.Equal(Enumerable.Range(0, 90).Select(i => Day.AddDays(i)), runs.Select(r => r.LogicalDate).Order());
        Assert.All(runs, r => Assert.Equal(DagRunState.Success, r.State));
    }

    [Fact]
    public async Task CronInATimeZone_KeepsLocalTimeAcrossDaylightSaving()
    {
        var paris = new DateTimeOffset(2026, 10, 23, 6, 0, 0, TimeSpan.FromHours(2));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 27, 12, 0, 0, TimeSpan.Zero));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(schedule: "0 6 * * *", start: paris, timeZone: "Europe/Paris"));
        using var _scheduler = scheduler;

        var runs = await PassAsync(scheduler, engine);

        Assert.Equal(
            ["2026-10-23T04:00:00Z", "2026-10-24T04:00:00Z", "2026-10-25T05:00:00Z", "2026-10-26T05:00:00Z"],
            runs.Select(r => r.LogicalDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PausedDag_GetsNoRunsUntilUnpaused()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(catchup: false));
        using var _scheduler = scheduler;
        await engine.Store.SetPausedAsync("d", true, Token);

        Assert.Empty(await PassAsync(scheduler, engine));

        await engine.Store.SetPausedAsync("d", false, Token);
        Assert.Single(await PassAsync(scheduler, engine));
    }

    [Fact]
    public async Task ManualTrigger_QueuedRunIsStartedWithItsConf()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(schedule: "@once", start: Day.AddDays(10)));
        using var _scheduler = scheduler;
        var request = new DagTestRequest { LogicalDate = Day, Conf = System.Collections.Immutable.ImmutableSortedDictionary<string, System.Text.Json.JsonElement>.Empty };
        await engine.Store.CreateRunAsync(request.Run("d", time.GetUtcNow(), RunType.Manual) with { Conf = """{"x": 1}""" }, ["t"], Token);

        var runs = await PassAsync(scheduler, engine);

        Assert.Equal(DagRunState.Success, Assert.Single(runs).State);
        Assert.Equal(RunType.Manual, runs[0].RunType);
    }

    [Fact]
    public async Task BackgroundLoop_CreatesTheNextRunWhenTheClockPassesIt()
    {
        var time = new FakeTimeProvider(Day.AddHours(1));
        await using var engine = new TestEngine(time);
        var (scheduler, _) = Scheduler(engine, Dag(catchup: false));
        using var _scheduler = scheduler;
        var ended = new System.Collections.Concurrent.BlockingCollection<DagRun>();
        scheduler.RunEnded += ended.Add;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var loop = scheduler.RunAsync(stop.Token);
        Assert.Equal(Day.AddDays(-1), ended.Take(Token).LogicalDate);
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(Day, ended.Take(Token).LogicalDate);
        await stop.CancelAsync();
        await loop;
    }
}
