using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>Never twice, in the store itself: one run per logical date, run claims, and task writes
/// that are compare-and-set; two store instances on one file stand for two processes.</summary>
public sealed class RunClaimTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("store-claims");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

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

    [Fact]
    public async Task CreateRun_AnotherRunOfTheSameDate_ReturnsTheRunThatHasIt_TestRunsAside()
    {
        await using var backfill = SqliteRunStore.Open(_folder["state.db"]);
        await using var scheduler = SqliteRunStore.Open(_folder["state.db"]);

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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var holder = SqliteRunStore.Open(_folder["state.db"]);
        await using var late = SqliteRunStore.Open(_folder["state.db"]);
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
    public async Task Migration_AStoreWithTwoRunsOfOneDate_Opens_TheOldestKeepsTheDate()
    {
        var path = _folder["state.db"];
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Token);
            await using var command = connection.CreateCommand();
            // Schema version 3, as stores were before one run per date, holding the bug's two runs of one date.
            command.CommandText = string.Join(";\n", Migrations.StepsUpTo(3)) + """
                ;
                INSERT INTO dag_run VALUES ('d', 'scheduled__2026-11-20T00:00:00+00:00', 'scheduled', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-21T00:00:00.0000000Z', 'success', '{}', '2026-11-21T00:00:00.0000000Z', NULL, NULL);
                INSERT INTO dag_run VALUES ('d', 'backfill__2026-11-20T00:00:00+00:00', 'backfill', '2026-11-20T00:00:00.0000000Z', '2026-11-20T00:00:00.0000000Z', '2026-11-21T00:00:00.0000000Z', 'success', '{}', '2026-11-21T00:00:01.0000000Z', NULL, NULL);
                PRAGMA user_version = 3;
                """;
            await command.ExecuteNonQueryAsync(Token);
        }

        await using var store = SqliteRunStore.Open(path);
        var manual = await store.CreateRunAsync(Run(RunType.Manual), ["a"], Token);

        Assert.Equal(2, (await store.ListRunsAsync("d", null, Token)).Count);
        Assert.Equal("scheduled__2026-11-20T00:00:00+00:00", manual.RunId);
    }
}
