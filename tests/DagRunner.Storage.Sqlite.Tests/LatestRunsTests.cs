using DagRunner.Engine.Runs;
using DagRunner.Testing;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>The latest runs of a DAG and the task instances of given runs, as the graph and durations pages read them.</summary>
public sealed class LatestRunsTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new("latest");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LatestRunsAndTheirTasks_FiveRunsAndAnotherDag_TheNewestNNewestFirstWithOnlyTheirTasks()
    {
        await using var store = SqliteRunStore.Open(_folder["state.db"]);
        for (var i = 0; i < 5; i++)
            await store.CreateRunAsync(Run("d", Day.AddDays(i)), ["a", "b"], Token);
        await store.CreateRunAsync(Run("other", Day.AddDays(9)), ["a"], Token);

        var latest = await store.LatestRunsAsync("d", 3, Token);
        var tasks = await store.TaskInstancesOfRunsAsync("d", [.. latest.Select(r => r.RunId)], Token);
        var all = await store.LatestRunsAsync("d", 50, Token);

        Assert.Equal([Day.AddDays(4), Day.AddDays(3), Day.AddDays(2)], latest.Select(r => r.LogicalDate));
        Assert.Equal(latest.Select(r => r.RunId).Order(StringComparer.Ordinal), tasks.Select(t => t.RunId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(6, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("d", t.DagId));
        Assert.Equal(await store.ListRunsAsync("d", null, Token), all);
    }

    public void Dispose() => _folder.Dispose();

    private static DagRun Run(string dagId, DateTimeOffset day) => new()
    {
        DagId = dagId,
        RunId = DagRun.IdFor(RunType.Scheduled, day),
        RunType = RunType.Scheduled,
        LogicalDate = day,
        DataIntervalStart = day,
        DataIntervalEnd = day.AddDays(1),
        QueuedAt = day,
    };
}
