using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>A worker over a real PostgreSQL store, in process: what it does when the store takes a task away from
/// it, and when an attempt breaks the runner itself.</summary>
public sealed class TaskWorkerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private const string RunId = "manual__2026-11-20T00:00:00+00:00";
    private readonly TempFolder _logs = new("dagrunner-worker-logs");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task AnAttemptHandedToAnotherWorker_StopsHere_AndItsOutcomeIsNotWritten()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await PostgresRunStore.OpenConnectionStringAsync(database, "test", Token);
        await ScheduledRunAsync(store);
        var waiting = new Waiting();
        using var stop = new CancellationTokenSource();
        var worker = Worker(store, waiting);
        var running = worker.RunAsync(new DagRunObserver(), CancellationToken.None, stop.Token);

        await waiting.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        var held = Assert.Single(await store.HoldsAsync("d", RunId, Token));
        Assert.Equal("w1", held.Holder);
        // What a run's driver does when it judges the worker gone: the task is let go for another.
        Assert.True(await store.ReleaseTaskAsync(held.Task, "w1", new RunEvent { DagId = "d", RunId = RunId, TaskId = "t", TryNumber = 1, At = Day, From = "running", To = "running", Message = "handed back" }, Token));

        // The next heartbeat shows the worker it no longer holds the attempt: it stops it (detached, not failed).
        await waiting.Stopped.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await stop.CancelAsync();
        await running;
        var task = Assert.Single(await store.TaskInstancesAsync("d", RunId, Token));
        Assert.Equal((TaskState.Running, 1), (task.State, task.TryNumber));
        Assert.Null(Assert.Single(await store.HoldsAsync("d", RunId, Token)).Holder);
        Assert.Empty(await store.AttemptsAsync("d", RunId, Token));
    }

    [Fact]
    public async Task AnAttemptThatBreaksTheRunner_IsAFailedAttempt_NotATaskHeldForever()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await PostgresRunStore.OpenConnectionStringAsync(database, "test", Token);
        // A conf the store holds broken (written by hand): building the attempt's context throws, in the runner.
        await ScheduledRunAsync(store, conf: "{broken");
        using var stop = new CancellationTokenSource();
        var worker = Worker(store, new Waiting());
        var running = worker.RunAsync(new DagRunObserver(), CancellationToken.None, stop.Token);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TaskInstance task;
        while ((task = Assert.Single(await store.TaskInstancesAsync("d", RunId, Token))).State != TaskState.Failed)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the task is still {task.State}");
            await Task.Delay(50, Token);
        }

        await stop.CancelAsync();
        await running;
        Assert.Contains("failed in the runner", task.Error, StringComparison.Ordinal);
        Assert.Equal(TaskState.Failed, Assert.Single(await store.AttemptsAsync("d", RunId, Token)).State);
    }

    [Fact]
    public async Task ClearingATaskALiveWorkerRuns_IsRefused_NamingTheWorker_AndDoneOnceItsHeartbeatIsStale()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var store = await PostgresRunStore.OpenConnectionStringAsync(database, "test", Token);
        await ScheduledRunAsync(store);
        var now = DateTimeOffset.UtcNow;
        await store.BeatAsync("host:1:2:w", now, Token);
        var request = new TaskClaimRequest
        {
            Owner = "host:1:2:w", Now = now, Limit = 1, PoolSlots = new Dictionary<string, int>(), DefaultPoolSlots = 8,
            Dags = new Dictionary<string, ClaimableDag> { ["d"] = new(new Dictionary<string, string> { ["t"] = "default_pool" }, 4) },
        };
        Assert.Single((await store.ClaimTasksAsync(request, Token)).Claimed);
        var dag = Dag(new Waiting());
        var editor = new RunEditor(store, new ExecutorOptions { LogsFolder = _logs.Path }, TimeProvider.System);

        var refused = await editor.ClearTasksAsync(dag, RunId, ["t"], downstream: false, Token);
        Assert.Equal(RunEditOutcome.Refused, refused.Outcome);
        Assert.Contains("Task 't' of run manual__2026-11-20T00:00:00+00:00 is running in worker process 1 on host (last heartbeat ", refused.Message, StringComparison.Ordinal);

        // Its heartbeat older than a claim lives: the worker is taken for gone, and the clear is done.
        await store.BeatAsync("host:1:2:w", now - TimeSpan.FromMinutes(5), Token);
        var done = await editor.ClearTasksAsync(dag, RunId, ["t"], downstream: false, Token);
        Assert.Equal(RunEditOutcome.Done, done.Outcome);
        Assert.Equal(TaskState.None, Assert.Single(await store.TaskInstancesAsync("d", RunId, Token)).State);
    }

    private static DagDefinition Dag(DagTask instance) => new()
    {
        DagId = "d",
        File = "d.csx",
        Tasks = [new TaskDefinition { TaskId = "t", Operator = instance.GetType().Name, Policy = new TaskPolicy(), Upstream = [], Downstream = [], Instance = instance }],
    };

    private TaskWorker Worker(PostgresRunStore store, DagTask instance)
    {
        var dag = Dag(instance);
        var options = new ExecutorOptions
        {
            LogsFolder = _logs.Path,
            Owner = "w1",
            ClaimHeartbeat = TimeSpan.FromMilliseconds(100),
            ClaimStaleAfter = TimeSpan.FromSeconds(1),
        };
        var board = new SharedTaskBoard(store, new SharedTaskOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        return new TaskWorker(board, store, options, TimeProvider.System, _ => Task.FromResult<IReadOnlyList<DagDefinition>>([dag]));
    }

    private static async Task ScheduledRunAsync(PostgresRunStore store, string conf = "{}")
    {
        var run = await store.CreateRunAsync(new DagRun
        {
            DagId = "d", RunId = RunId, LogicalDate = Day, DataIntervalStart = Day, DataIntervalEnd = Day.AddDays(1), QueuedAt = Day, Conf = conf,
        }, ["t"], Token);
        Assert.True(await store.TryStartRunAsync(run, 1, Day, Token));
        var tasks = await store.TaskInstancesAsync("d", RunId, Token);
        await store.UpdateTasksAsync([.. tasks.Select(t => TaskMachine.Move(t, TaskState.Scheduled, Day))], Token);
    }

    // Writes a log line, then waits until it is stopped.
    private sealed class Waiting() : DagTask("t")
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            context.Log.WriteLine("waiting");
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Stopped.TrySetResult();
            }

            return null;
        }
    }
}
