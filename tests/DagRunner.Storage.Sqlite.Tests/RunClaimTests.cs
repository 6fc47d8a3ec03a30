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
