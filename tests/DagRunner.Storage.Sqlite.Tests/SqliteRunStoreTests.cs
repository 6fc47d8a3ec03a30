using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>The run store on real SQLite files.</summary>
public sealed class SqliteRunStoreTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("store");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

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

    [Fact]
    public async Task CreateRun_StoresTheRunTasksAndFirstEvent_SecondCreateReturnsTheFirst()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);

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
        var path = _folder["state.db"];
        string runId;
        await using (var store = SqliteRunStore.Open(path))
        {
            var run = await store.CreateRunAsync(Run(), ["a"], Token);
            runId = run.RunId;
            var task = (await store.TaskInstancesAsync("d", runId, Token)).Single();
            var (moved, change) = TaskMachine.Move(task, TaskState.Scheduled, Day, "ready");
            await store.UpdateTaskAsync(moved, change, Token);
            await store.SaveHandleAsync("d|r|a|1", "livy_batch", """{"BatchId":"7"}""", Token);
            await store.SetPausedAsync("d", true, Token);
        }

        await using var reopened = SqliteRunStore.Open(path);

        Assert.Equal(TaskState.Scheduled, (await reopened.TaskInstancesAsync("d", runId, Token)).Single().State);
        Assert.Equal("""{"BatchId":"7"}""", await reopened.LoadHandleAsync("d|r|a|1", "livy_batch", Token));
        Assert.True(await reopened.HasHandleAsync("d|r|a|1", Token));
        Assert.Contains("d", await reopened.PausedAsync(Token));
        Assert.Equal(["queued", "scheduled"], (await reopened.EventsAsync("d", runId, Token)).Select(e => e.To));
    }

    [Fact]
    public async Task ManyConcurrentChanges_AreAllCommitted()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
        var run = await store.CreateRunAsync(Run(), ["a"], Token);

        await store.DeleteRunAsync("d", run.RunId, Token);

        Assert.Null(await store.FindRunAsync("d", run.RunId, Token));
        Assert.Empty(await store.TaskInstancesAsync("d", run.RunId, Token));
        Assert.Empty(await store.EventsAsync("d", run.RunId, Token));
    }

    [Fact]
    public async Task Open_SchemaNewerThanThisCode_IsRefusedClearly()
    {
        var path = _folder["state.db"];
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync(Token);
        }

        var error = Assert.Throws<Engine.Storage.RunStoreException>(() => SqliteRunStore.Open(path));

        Assert.Contains("schema version 99, newer than this DagRunner's", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportErrors_AreReplacedByTheLatestLoad()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
        var first = new Engine.Definitions.ImportError { File = "dags/a.csx", Line = 3, Column = 5, Code = "CS1002", Message = "; expected" };
        var second = first with { File = "dags/b.csx", Message = "boom" };

        await store.ReplaceImportErrorsAsync([first, second], Day, Token);
        await store.ReplaceImportErrorsAsync([second], Day, Token);

        Assert.Equal([second], await store.ImportErrorsAsync(Token));
    }

    [Fact]
    public async Task Open_UsesWriteAheadLogging()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
        await using var connection = new SqliteConnection($"Data Source={store.Path}");
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Token));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
