using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>The bounded listings a front end pages with, on a real SQLite file.</summary>
public sealed class ListingTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("listing");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

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
    public async Task LatestRunsOfEveryDag_QueryPlan_SeeksTheIndexWithoutSortingTheRuns()
    {
        await using (SqliteRunStore.Open(_folder["state.db"]))
        {
        }

        await using var connection = new SqliteConnection($"Data Source={_folder["state.db"]}");
        await connection.OpenAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT x.run_id FROM dag_run AS x WHERE x.dag_id = 'a' ORDER BY x.logical_date DESC, x.queued_at DESC LIMIT 10";
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Token))
        {
            while (await reader.ReadAsync(Token))
                plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX dag_run_latest", StringComparison.Ordinal) || step.Contains("USING COVERING INDEX dag_run_latest", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Dispose();
}
