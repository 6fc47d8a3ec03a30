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
    public async Task LatestRunsOfEveryDag_ThreeDags_AnswersEachDagsNewestRunsNewestFirst()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
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
        await using var store = SqliteRunStore.Open(_folder["state.db"]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LatestRunsAsync("a", 0, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LatestRunsOfEveryDagAsync(IRunStore.MaxListed + 1, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TaskInstancesOfRunsAsync("a", [.. Enumerable.Range(0, IRunStore.MaxListed + 1).Select(i => $"r{i}")], Token));
    }

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
