using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Storage.Contract;

/// <summary>
/// What every run store must do, whatever it is built on: one suite (this file, compiled into both test
/// projects) that the SQLite store's tests and the PostgreSQL store's tests derive from, so the two cannot drift. <see cref="OpenAsync"/> opens another
/// instance on the same store each time it is called, as another process would.
/// </summary>
public abstract class RunStoreContract
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new instance on this test's store (the same store every time within a test).</summary>
    protected abstract Task<IRunStore> OpenAsync();

    private static DagRun Run(string runId = "manual__2026-11-20T00:00:00+00:00") => new()
    {
        DagId = "d",
        RunId = runId,
        LogicalDate = Day,
        DataIntervalStart = Day,
        DataIntervalEnd = Day.AddDays(1),
        Conf = """{"limit": 5}""",
        QueuedAt = Day.AddHours(1),
    };

    private static DagRun Run(RunType type) => new()
    {
        DagId = "d",
        RunId = DagRun.IdFor(type, Day),
        RunType = type,
        LogicalDate = Day,
        DataIntervalStart = Day,
        DataIntervalEnd = Day.AddDays(1),
        QueuedAt = Day,
    };

    private static DagRun Run(string dagId, int day, RunType type = RunType.Scheduled) => new()
    {
        DagId = dagId,
        RunId = DagRun.IdFor(type, Day.AddDays(day)),
        RunType = type,
        LogicalDate = Day.AddDays(day),
        DataIntervalStart = Day.AddDays(day),
        DataIntervalEnd = Day.AddDays(day + 1),
        QueuedAt = Day.AddDays(day + 1),
    };

    [Fact]
    public async Task CreateRun_StoresTheRunTasksAndFirstEvent_SecondCreateReturnsTheFirst()
    {
        await using var store = await OpenAsync();

        var created = await store.CreateRunAsync(Run(), ["a", "b"], Token);
        var again = await store.CreateRunAsync(Run() with { Conf = "{}" }, ["a", "b", "c"], Token);

        Assert.Equal(Run(), created);
        Assert.Equal(created, again);
        Assert.Equal(["a", "b"], (await store.TaskInstancesAsync("d", created.RunId, Token)).Select(t => t.TaskId).Order());
        Assert.Equal("queued", Assert.Single(await store.EventsAsync("d", created.RunId, Token)).To);
    }

    [Fact]
    public async Task Changes_SurviveClosingAndOpeningAgain()
    {
                string runId;
        await using (var store = await OpenAsync())
        {
            var run = await store.CreateRunAsync(Run(), ["a"], Token);
            runId = run.RunId;
            var task = (await store.TaskInstancesAsync("d", runId, Token)).Single();
            var (moved, change) = TaskMachine.Move(task, TaskState.Scheduled, Day, "ready");
            await store.UpdateTaskAsync(moved, change, Token);
            await store.SaveHandleAsync("d|r|a|1", "livy_batch", """{"BatchId":"7"}""", Token);
            await store.SetPausedAsync("d", true, Token);
        }

        await using var reopened = await OpenAsync();

        Assert.Equal(TaskState.Scheduled, (await reopened.TaskInstancesAsync("d", runId, Token)).Single().State);
        Assert.Equal("""{"BatchId":"7"}""", await reopened.LoadHandleAsync("d|r|a|1", "livy_batch", Token));
        Assert.True(await reopened.HasHandleAsync("d|r|a|1", Token));
        Assert.Contains("d", await reopened.PausedAsync(Token));
        Assert.Equal(["queued", "scheduled"], (await reopened.EventsAsync("d", runId, Token)).Select(e => e.To));
    }

    [Fact]
    public async Task ManyConcurrentChanges_AreAllCommitted()
    {
        await using var store = await OpenAsync();
        var ids = Enumerable.Range(0, 500).Select(i => $"t{i}").ToList();
        var run = await store.CreateRunAsync(Run(), ids, Token);
        var tasks = await store.TaskInstancesAsync("d", run.RunId, Token);

        await Task.WhenAll(tasks.Select(async task =>
        {
            var (moved, change) = TaskMachine.Move(task, TaskState.Scheduled, Day);
            await store.UpdateTaskAsync(moved, change, Token);
        }));

        Assert.All(await store.TaskInstancesAsync("d", run.RunId, Token), t => Assert.Equal(TaskState.Scheduled, t.State));
        Assert.Equal(501, (await store.EventsAsync("d", run.RunId, Token)).Count);
    }

    [Fact]
    public async Task ListRuns_NewestFirst_FilteredByState()
    {
        await using var store = await OpenAsync();
        var older = await store.CreateRunAsync(Run("scheduled__1") with { LogicalDate = Day.AddDays(-1) }, [], Token);
        var newer = await store.CreateRunAsync(Run("scheduled__2"), [], Token);
        await store.UpdateRunAsync(newer with { State = DagRunState.Running }, new RunEvent { DagId = "d", RunId = newer.RunId, At = Day, From = "queued", To = "running" }, Token);

        Assert.Equal(["scheduled__2", "scheduled__1"], (await store.ListRunsAsync("d", null, Token)).Select(r => r.RunId));
        Assert.Equal(["scheduled__1"], (await store.ListRunsAsync("d", [DagRunState.Queued], Token)).Select(r => r.RunId));
        Assert.Equal(["scheduled__2"], (await store.ListRunsInStateAsync([DagRunState.Running], Token)).Select(r => r.RunId));
        Assert.Equal(older, await store.FindRunAsync("d", "scheduled__1", Token));
    }

    [Fact]
    public async Task DeleteRun_RemovesItsTasksAndEvents()
    {
        await using var store = await OpenAsync();
        var run = await store.CreateRunAsync(Run(), ["a"], Token);

        await store.DeleteRunAsync("d", run.RunId, Token);

        Assert.Null(await store.FindRunAsync("d", run.RunId, Token));
        Assert.Empty(await store.TaskInstancesAsync("d", run.RunId, Token));
        Assert.Empty(await store.EventsAsync("d", run.RunId, Token));
    }

    [Fact]
    public async Task ImportErrors_AreReplacedByTheLatestLoad()
    {
        await using var store = await OpenAsync();
        var first = new ImportError { File = "dags/a.csx", Line = 3, Column = 5, Code = "CS1002", Message = "; expected" };
        var second = first with { File = "dags/b.csx", Message = "boom" };

        await store.ReplaceImportErrorsAsync([first, second], Day, Token);
        await store.ReplaceImportErrorsAsync([second], Day, Token);

        Assert.Equal([second], await store.ImportErrorsAsync(Token));
    }

    [Fact]
    public async Task CreateRun_AnotherRunOfTheSameDate_ReturnsTheRunThatHasIt_TestRunsAside()
    {
        await using var backfill = await OpenAsync();
        await using var scheduler = await OpenAsync();

        var first = await backfill.CreateRunAsync(Run(RunType.Backfill), ["a"], Token);
        var second = await scheduler.CreateRunAsync(Run(RunType.Scheduled), ["a"], Token);
        var test = await scheduler.CreateRunAsync(Run(RunType.Test) with { RunId = "manual__2026-11-20T00:00:00+00:00" }, ["a"], Token);

        Assert.Equal(first, second);
        Assert.Equal(RunType.Test, test.RunType);
        Assert.Equal(2, (await scheduler.ListRunsAsync("d", null, Token)).Count);
        Assert.Empty(await scheduler.TaskInstancesAsync("d", DagRun.IdFor(RunType.Scheduled, Day), Token));
    }

    [Fact]
    public async Task ClaimRun_HeldAndFresh_IsRefused_StaleOrGone_IsTakenOverWithAnEvent()
    {
        await using var store = await OpenAsync();
        var run = await store.CreateRunAsync(Run(RunType.Backfill), ["a"], Token);
        var stale = Day.AddSeconds(-60);

        var first = await store.ClaimRunAsync("d", run.RunId, "one", Day, stale, null, Token);
        var again = await store.ClaimRunAsync("d", run.RunId, "one", Day.AddSeconds(1), stale, null, Token);
        var refused = await store.ClaimRunAsync("d", run.RunId, "two", Day.AddSeconds(30), Day.AddSeconds(-30), null, Token);
        var stillOne = await store.RenewClaimAsync("d", run.RunId, "one", Day.AddSeconds(40), Token);
        var afterStale = await store.ClaimRunAsync("d", run.RunId, "two", Day.AddSeconds(200), Day.AddSeconds(140), null, Token);
        var oneLost = await store.RenewClaimAsync("d", run.RunId, "one", Day.AddSeconds(201), Token);
        var gone = await store.ClaimRunAsync("d", run.RunId, "three", Day.AddSeconds(202), Day.AddSeconds(142), "two", Token);

        Assert.True(first.Held);
        Assert.True(again.Held);
        Assert.Equal((false, "one"), (refused.Held, refused.Holder));
        Assert.True(stillOne);
        Assert.Equal((true, "one"), (afterStale.Held, afterStale.TakenFrom));
        Assert.False(oneLost);
        Assert.Equal((true, "two"), (gone.Held, gone.TakenFrom));
        var takeovers = (await store.EventsAsync("d", run.RunId, Token)).Where(e => e.Message?.StartsWith("taken over", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["taken over by two from one (its last heartbeat was at 2026-11-20T00:00:40.0000000Z)", "taken over by three from two (its process is gone)"], takeovers.Select(e => e.Message));
    }

    [Fact]
    public async Task ReleaseClaim_LetsTheNextRunnerClaimAtOnce_OnlyTheHolderReleases()
    {
        await using var store = await OpenAsync();
        var run = await store.CreateRunAsync(Run(RunType.Backfill), ["a"], Token);
        await store.ClaimRunAsync("d", run.RunId, "one", Day, Day.AddSeconds(-60), null, Token);

        await store.ReleaseClaimAsync("d", run.RunId, "two", Token);
        var whileHeld = await store.ClaimRunAsync("d", run.RunId, "two", Day, Day.AddSeconds(-60), null, Token);
        await store.ReleaseClaimAsync("d", run.RunId, "one", Token);
        var afterRelease = await store.ClaimRunAsync("d", run.RunId, "two", Day, Day.AddSeconds(-60), null, Token);

        Assert.False(whileHeld.Held);
        Assert.Equal((true, null), (afterRelease.Held, afterRelease.TakenFrom));
    }

    [Fact]
    public async Task UpdateTasks_StoredStateNoLongerTheWritersFrom_IsRefused_NothingOfTheTransactionWritten()
    {
        await using var holder = await OpenAsync();
        await using var late = await OpenAsync();
        var run = await holder.CreateRunAsync(Run(RunType.Backfill), ["a", "b"], Token);
        var tasks = (await holder.TaskInstancesAsync("d", run.RunId, Token)).ToDictionary(t => t.TaskId);
        // Both saw a and b as none; the holder moves a first.
        await holder.UpdateTaskAsync(TaskMachine.Move(tasks["a"], TaskState.Scheduled, Day).Task, TaskMachine.Move(tasks["a"], TaskState.Scheduled, Day).Event, Token);

        var error = await Assert.ThrowsAsync<RunConflictException>(() => late.UpdateTasksAsync(
            [TaskMachine.Move(tasks["b"], TaskState.Skipped, Day), TaskMachine.Move(tasks["a"], TaskState.Skipped, Day)], Token));

        Assert.Contains("Task 'a' of run backfill__2026-11-20T00:00:00+00:00 of d is scheduled in the store, not none", error.Message, StringComparison.Ordinal);
        var stored = (await holder.TaskInstancesAsync("d", run.RunId, Token)).ToDictionary(t => t.TaskId);
        Assert.Equal((TaskState.Scheduled, TaskState.None), (stored["a"].State, stored["b"].State));
        Assert.DoesNotContain(await holder.EventsAsync("d", run.RunId, Token), e => e.To == "skipped");
    }

    [Fact]
    public async Task LatestRunsOfEveryDag_ThreeDags_AnswersEachDagsNewestRunsNewestFirst()
    {
        await using var store = await OpenAsync();
        // Created out of order: the listing orders by logical date, not by insertion.
        foreach (var day in new[] { 3, 0, 4, 1, 2 })
            await store.CreateRunAsync(Run("a", day), ["t"], Token);
        await store.CreateRunAsync(Run("b", 7), ["t"], Token);
        foreach (var day in new[] { 5, 6 })
            await store.CreateRunAsync(Run("c", day), ["t"], Token);

        var latest = await store.LatestRunsOfEveryDagAsync(3, Token);

        Assert.Equal(
            [("a", 4), ("a", 3), ("a", 2), ("b", 7), ("c", 6), ("c", 5)],
            latest.Select(r => (r.DagId, (r.LogicalDate - Day).Days)));
    }

    [Fact]
    public async Task LatestRuns_MoreRunsThanTheLimit_AnswersTheNewestOnesOfThatDagOnly()
    {
        await using var store = await OpenAsync();
        for (var day = 0; day < 6; day++)
            await store.CreateRunAsync(Run("a", day), ["t"], Token);
        await store.CreateRunAsync(Run("b", 9), ["t"], Token);

        var latest = await store.LatestRunsAsync("a", 2, Token);

        Assert.Equal([5, 4], latest.Select(r => (r.LogicalDate - Day).Days));
        Assert.Equal(await store.ListRunsAsync("a", null, Token), await store.LatestRunsAsync("a", 100, Token));
    }

    [Fact]
    public async Task TaskInstancesOfRuns_SomeRuns_AnswersTheirInstancesOnly()
    {
        await using var store = await OpenAsync();
        var one = await store.CreateRunAsync(Run("a", 0), ["x", "y"], Token);
        var two = await store.CreateRunAsync(Run("a", 1), ["x", "y", "z"], Token);
        await store.CreateRunAsync(Run("a", 2), ["x"], Token);
        await store.CreateRunAsync(Run("b", 1), ["x"], Token); // the same run id, another DAG

        var tasks = await store.TaskInstancesOfRunsAsync("a", [one.RunId, two.RunId, "no_such_run"], Token);

        Assert.Equal(
            [(one.RunId, "x"), (one.RunId, "y"), (two.RunId, "x"), (two.RunId, "y"), (two.RunId, "z")],
            tasks.Select(t => (t.RunId, t.TaskId)).Order());
        Assert.Empty(await store.TaskInstancesOfRunsAsync("a", [], Token));
    }

    [Fact]
    public async Task Listings_LimitsOutOfRange_AreRefused()
    {
        await using var store = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LatestRunsAsync("a", 0, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LatestRunsOfEveryDagAsync(IRunStore.MaxListed + 1, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TaskInstancesOfRunsAsync("a", [.. Enumerable.Range(0, IRunStore.MaxListed + 1).Select(i => $"r{i}")], Token));
    }
}
