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
