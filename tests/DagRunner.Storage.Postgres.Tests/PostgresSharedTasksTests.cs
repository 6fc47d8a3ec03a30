using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>The task queue several processes share, on a real PostgreSQL: each store instance is its own
/// connection pool, as another process's would be.</summary>
public sealed class PostgresSharedTasksTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EightClaimersAtOnce_TakeEveryScheduledTaskExactlyOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        var ids = Enumerable.Range(0, 300).Select(i => $"t{i:000}").ToList();
        await using (var setup = await OpenAsync(database))
            await ScheduledRunAsync(setup, ids);

        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OpenAsync(database)));
        try
        {
            var claims = await Task.WhenAll(stores.Select((store, i) => ClaimAllAsync(store, $"w{i}", ids)));
            var taken = claims.SelectMany(c => c).ToList();
            Assert.Equal(ids.Count, taken.Count);
            Assert.Equal(ids, taken.Select(t => t.Task.TaskId).Order(StringComparer.Ordinal));
            Assert.All(taken, t => Assert.Equal((TaskState.Running, 1, false), (t.Task.State, t.Task.TryNumber, t.Resumed)));
            Assert.True(claims.Count(c => c.Count > 0) > 1, "the claims were spread over the claimers");
            var stored = await stores[0].TaskInstancesAsync("d", RunId, Token);
            Assert.All(stored, t => Assert.Equal(TaskState.Running, t.State));
        }
        finally
        {
            foreach (var store in stores)
                await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task PoolSlots_AndMaxActiveTasks_AreCountedOverEveryClaimer()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        var ids = Enumerable.Range(0, 20).Select(i => $"t{i:00}").ToList();
        await using var a = await OpenAsync(database);
        await using var b = await OpenAsync(database);
        await ScheduledRunAsync(a, ids);
        var pools = ids.ToDictionary(id => id, id => id.EndsWith('0') || id.EndsWith('5') ? "default_pool" : "small", StringComparer.Ordinal);

        var first = await ClaimAsync(a, Request("a", pools, maxActiveTasks: 6), Token);
        var second = await ClaimAsync(b, Request("b", pools, maxActiveTasks: 6), Token);

        var taken = first.Concat(second).ToList();
        Assert.Equal(6, taken.Count);
        Assert.True(taken.Count(t => pools[t.Task.TaskId] == "small") <= 3, "the pool of 3 slots held over both claimers");
        Assert.Empty(await ClaimAsync(b, Request("b", pools, maxActiveTasks: 6), Token));

        // An outcome frees its slot for the next claim.
        var done = taken[0].Task;
        var (ended, change) = TaskMachine.Move(done, TaskState.Success, Day);
        var holder = first.Contains(taken[0]) ? (a, "a") : (b, "b");
        Assert.Empty(await holder.Item1.FinishTasksAsync(holder.Item2, [(ended, change)], [], Token));
        Assert.Single(await ClaimAsync(b, Request("b", pools, maxActiveTasks: 6), Token));
    }

    [Fact]
    public async Task OutcomesHandedToAClaim_AreWrittenFirst_FreeingTheirSlotsForIt_AndANonHoldersAreRefused()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        var ids = Enumerable.Range(0, 6).Select(i => $"t{i}").ToList();
        await ScheduledRunAsync(store, ids);
        var pools = ids.ToDictionary(id => id, _ => "small", StringComparer.Ordinal);
        var first = await ClaimAsync(store, Request("a", pools), Token);
        Assert.Equal(3, first.Count);
        var ended = first.Select(c => TaskMachine.Move(c.Task, TaskState.Success, Day)).ToList();
        var attempts = ended.Select(e => new TaskAttempt { DagId = "d", RunId = RunId, TaskId = e.Task.TaskId, TryNumber = 1, State = TaskState.Success, EndedAt = Day }).ToList();

        var refused = await store.ClaimTasksAsync(Request("b", pools) with { Outcomes = ended, Attempts = attempts }, Token);
        Assert.Equal(3, refused.Refused.Count);
        Assert.Empty(refused.Claimed);

        var next = await store.ClaimTasksAsync(Request("a", pools) with { Outcomes = ended, Attempts = attempts }, Token);
        Assert.Empty(next.Refused);
        Assert.Equal(3, next.Claimed.Count);
        Assert.Equal(3, (await store.AttemptsAsync("d", RunId, Token)).Count);
        var stored = await store.TaskInstancesAsync("d", RunId, Token);
        Assert.Equal(3, stored.Count(t => t.State == TaskState.Success));
        Assert.Equal(3, stored.Count(t => t.State == TaskState.Running));
    }

    [Fact]
    public async Task ARunAtItsLimit_OrAFullPool_NeverHidesTheWorkBehindIt()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        // The older run: 300 scheduled tasks, in the pool "small" (3 slots); the newer run: 5 in the default pool.
        var older = Enumerable.Range(0, 300).Select(i => $"old{i:000}").ToList();
        var newer = Enumerable.Range(0, 5).Select(i => $"x{i}").ToList();
        await ScheduledRunAsync(store, [.. older, .. newer], Run(0));
        await ScheduledRunAsync(store, [.. older, .. newer], Run(1));
        var pools = older.ToDictionary(id => id, _ => "small", StringComparer.Ordinal);
        foreach (var id in newer)
            pools[id] = "default_pool";
        // The first claim fills the small pool from the older run; the next passes over the 297 tasks of the full pool
        // to the default pool's, in the older run until its MaxActiveTasks (6), then in the newer run.
        var first = await ClaimAsync(store, Request("a", pools, maxActiveTasks: 6, limit: 4), Token);
        Assert.Equal(3, first.Count);
        Assert.All(first, c => Assert.Equal((Run(0).RunId, true), (c.Task.RunId, c.Task.TaskId.StartsWith("old", StringComparison.Ordinal))));

        var second = await ClaimAsync(store, Request("a", pools, maxActiveTasks: 6, limit: 4), Token);
        Assert.Equal(4, second.Count);
        Assert.All(second, c => Assert.StartsWith("x", c.Task.TaskId, StringComparison.Ordinal));
        Assert.Equal(3, second.Count(c => c.Task.RunId == Run(0).RunId));
        // The first run is at its MaxActiveTasks (6): what is left comes from the second run.
        var third = await ClaimAsync(store, Request("a", pools, maxActiveTasks: 6, limit: 4), Token);
        Assert.Equal(4, third.Count);
        Assert.All(third, c => Assert.Equal(Run(1).RunId, c.Task.RunId));
    }

    [Fact]
    public async Task PoolsServed_LimitWhatAWorkerClaims()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        await ScheduledRunAsync(store, ["spark", "shell"]);
        var pools = new Dictionary<string, string>(StringComparer.Ordinal) { ["spark"] = "spark", ["shell"] = "default_pool" };

        var claimed = await ClaimAsync(store, Request("w", pools) with { Pools = new HashSet<string>(["spark"]) }, Token);

        Assert.Equal("spark", Assert.Single(claimed).Task.TaskId);
    }

    [Fact]
    public async Task AnOutcome_IsWrittenOnlyByTheTasksHolder()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        await ScheduledRunAsync(store, ["t"]);
        var claimed = Assert.Single(await ClaimAsync(store, Request("a", Pools(["t"])), Token)).Task;
        var (ended, change) = TaskMachine.Move(claimed, TaskState.Success, Day);

        var refused = await store.FinishTasksAsync("b", [(ended, change)], [], Token);

        Assert.Equal("t", Assert.Single(refused).TaskId);
        Assert.Equal(TaskState.Running, Assert.Single(await store.TaskInstancesAsync("d", RunId, Token)).State);
        Assert.Empty(await store.FinishTasksAsync("a", [(ended, change)], [], Token));
        Assert.Equal(TaskState.Success, Assert.Single(await store.TaskInstancesAsync("d", RunId, Token)).State);
    }

    [Fact]
    public async Task ATaskLetGo_IsResumedOnlyWhenItsAttemptRecordedAHandle()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        await ScheduledRunAsync(store, ["with_job", "without_job"]);
        await store.BeatAsync("a", Day, Token);
        var claimed = await ClaimAsync(store, Request("a", Pools(["with_job", "without_job"])), Token);
        Assert.Equal(2, claimed.Count);
        await store.SaveHandleAsync(TaskContextKey("with_job", 1), "livy_batch", """{"id": 7}""", Token);

        Assert.Equal(2, await store.ReleaseAllAsync("a", Day, Token));
        var holds = await store.HoldsAsync("d", RunId, Token);
        Assert.All(holds, h => Assert.Null(h.Holder));
        Assert.Equal([("with_job", true), ("without_job", false)], holds.Select(h => (h.Task.TaskId, h.HasHandle)).Order());

        var resumed = Assert.Single(await ClaimAsync(store, Request("b", Pools(["with_job", "without_job"])), Token));
        Assert.Equal(("with_job", 1, true), (resumed.Task.TaskId, resumed.Task.TryNumber, resumed.Resumed));
        Assert.Equal("b", (await store.HoldsAsync("d", RunId, Token)).Single(h => h.Task.TaskId == "with_job").Holder);
        var events = await store.EventsAsync("d", RunId, Token);
        Assert.Contains(events, e => e.TaskId == "with_job" && e.Message?.Contains("resumed by", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ReleaseTask_AppliesOnlyWhileTheNamedHolderHoldsIt()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await OpenAsync(database);
        await ScheduledRunAsync(store, ["t"]);
        var task = Assert.Single(await ClaimAsync(store, Request("a", Pools(["t"])), Token)).Task;
        var note = new RunEvent { DagId = "d", RunId = RunId, TaskId = "t", TryNumber = 1, At = Day, From = "running", To = "running", Message = "handed back" };

        Assert.False(await store.ReleaseTaskAsync(task, "b", note, Token));
        Assert.True(await store.ReleaseTaskAsync(task, "a", note, Token));
        Assert.False(await store.ReleaseTaskAsync(task, "a", note, Token));
    }

    [Fact]
    public async Task TryStartRun_HoldsMaxActiveRunsOverConcurrentStarters()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(database)));
        try
        {
            var runs = new List<DagRun>();
            for (var day = 0; day < 8; day++)
                runs.Add(await stores[0].CreateRunAsync(Run(day), ["t"], Token));

            var started = await Task.WhenAll(runs.Select((run, i) => stores[i % 4].TryStartRunAsync(run, 3, Day, Token)));

            Assert.Equal(3, started.Count(s => s));
            var stored = await stores[0].ListRunsAsync("d", [DagRunState.Running], Token);
            Assert.Equal(3, stored.Count);
            // A running run is only marked shared: it is started already.
            Assert.True(await stores[1].TryStartRunAsync(stored[0], 3, Day, Token));
        }
        finally
        {
            foreach (var store in stores)
                await store.DisposeAsync();
        }
    }

    private const string RunId = "manual__2026-11-20T00:00:00+00:00";

    private static string TaskContextKey(string taskId, int tryNumber) => DagRunner.Sdk.TaskContext.AttemptKeyOf("d", RunId, taskId, tryNumber);

    private static Task<PostgresRunStore> OpenAsync(string database) => PostgresRunStore.OpenConnectionStringAsync(database, "test", Token);

    private static DagRun Run(int day) => new()
    {
        DagId = "d",
        RunId = DagRun.IdFor(RunType.Scheduled, Day.AddDays(day)),
        RunType = RunType.Scheduled,
        LogicalDate = Day.AddDays(day),
        DataIntervalStart = Day.AddDays(day),
        DataIntervalEnd = Day.AddDays(day + 1),
        QueuedAt = Day.AddDays(day + 1),
    };

    // A running run shared through the queue, every task scheduled (what a driver writes).
    private static async Task ScheduledRunAsync(PostgresRunStore store, IReadOnlyList<string> taskIds, DagRun? of = null)
    {
        var run = await store.CreateRunAsync(of ?? new DagRun
        {
            DagId = "d", RunId = RunId, LogicalDate = Day, DataIntervalStart = Day, DataIntervalEnd = Day.AddDays(1), QueuedAt = Day,
        }, taskIds, Token);
        Assert.True(await store.TryStartRunAsync(run, 10, Day, Token));
        var tasks = await store.TaskInstancesAsync("d", run.RunId, Token);
        await store.UpdateTasksAsync([.. tasks.Select(t => TaskMachine.Move(t, TaskState.Scheduled, Day))], Token);
    }

    private static async Task<List<ClaimedTask>> ClaimAllAsync(PostgresRunStore store, string owner, IReadOnlyList<string> ids)
    {
        var taken = new List<ClaimedTask>();
        while (true)
        {
            var claimed = await ClaimAsync(store, Request(owner, Pools(ids), limit: 7), Token);
            if (claimed.Count == 0)
                return taken;
            taken.AddRange(claimed);
        }
    }

    private static async Task<IReadOnlyList<ClaimedTask>> ClaimAsync(PostgresRunStore store, TaskClaimRequest request, CancellationToken cancellationToken) =>
        (await store.ClaimTasksAsync(request, cancellationToken)).Claimed;

    private static Dictionary<string, string> Pools(IEnumerable<string> ids) => ids.ToDictionary(id => id, _ => "default_pool", StringComparer.Ordinal);

    private static TaskClaimRequest Request(string owner, IReadOnlyDictionary<string, string> pools, int maxActiveTasks = 1000, int limit = 100) => new()
    {
        Owner = owner,
        Now = Day,
        Limit = limit,
        Dags = new Dictionary<string, ClaimableDag>(StringComparer.Ordinal) { ["d"] = new(pools, maxActiveTasks) },
        PoolSlots = new Dictionary<string, int>(StringComparer.Ordinal) { ["small"] = 3 },
        DefaultPoolSlots = 1000,
    };
}
