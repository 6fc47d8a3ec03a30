using System.Collections.Concurrent;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Engine.Tests.Execution;

/// <summary>The executor on a real SQLite run store.</summary>
public sealed class DagRunExecutorTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class DelegateTask(string id, Func<TaskContext, CancellationToken, Task<object?>> run) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }

    private sealed class Retries : DagRunObserver
    {
        public ConcurrentQueue<(string TaskId, int Attempt, DateTimeOffset At)> Seen { get; } = new();

        public TaskCompletionSource FirstRetry { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt)
        {
            Seen.Enqueue((taskId, attempt, retryAt));
            FirstRetry.TrySetResult();
        }
    }

    private static TaskDefinition Task(string id, Func<TaskContext, CancellationToken, Task<object?>> run, string[]? upstream = null, TaskPolicy? policy = null) => new()
    {
        TaskId = id,
        Operator = "DelegateTask",
        Policy = policy ?? new TaskPolicy(),
        Upstream = [.. upstream ?? []],
        Instance = new DelegateTask(id, run),
    };

    private static DagDefinition Dag(params TaskDefinition[] tasks) => new() { DagId = "d", File = "d.csx", Tasks = [.. tasks] };

    [Fact]
    public async Task IndependentTasks_RunInParallel()
    {
        await using var engine = new TestEngine();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        async Task<object?> Meet(TaskContext _, CancellationToken ct)
        {
            if (Interlocked.Increment(ref arrived) == 2)
                both.TrySetResult();
            // Each waits for the other: only parallel execution lets them finish.
            await both.Task.WaitAsync(ct);
            return null;
        }

        var result = await engine.Runner.RunAsync(Dag(Task("a", Meet), Task("b", Meet)), new DagTestRequest { LogicalDate = Day }, new DagRunObserver(), Token);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task PoolWithOneSlot_RunsItsTasksOneAtATime()
    {
        await using var engine = new TestEngine(pools: new Dictionary<string, int> { ["yarn_queue"] = 1 });
        var inside = 0;
        var most = 0;
        async Task<object?> Work(TaskContext _, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await System.Threading.Tasks.Task.Yield();
            Interlocked.Decrement(ref inside);
            return null;
        }

        var pooled = new TaskPolicy { Pool = "yarn_queue" };
        var dag = Dag(Task("a", Work, policy: pooled), Task("b", Work, policy: pooled), Task("c", Work, policy: pooled));

        var result = await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, new DagRunObserver(), Token);

        Assert.True(result.Succeeded);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task FailingTask_IsRetriedAfterItsDelayWithExponentialBackoff_ThenSucceeds()
    {
        var time = new FakeTimeProvider(Day);
        await using var engine = new TestEngine(time);
        var attempts = 0;
        var policy = new TaskPolicy { Retries = 3, RetryDelay = TimeSpan.FromMinutes(1), RetryExponentialBackoff = true, MaxRetryDelay = TimeSpan.FromMinutes(3) };
        var dag = Dag(Task("flaky", (ctx, _) => ++attempts < 4 ? throw new TaskFailedException($"attempt {ctx.TryNumber} failed") : System.Threading.Tasks.Task.FromResult<object?>("ok"), policy: policy));
        var retries = new Retries();

        var run = engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, retries, Token);
        foreach (var wait in new[] { 1, 2, 3 })
        {
            while (retries.Seen.Count < wait)
                await System.Threading.Tasks.Task.Delay(5, Token);
            // Only the fake clock moves the retry: 1, 2, then 3 minutes (capped at MaxRetryDelay).
            time.Advance(TimeSpan.FromMinutes(wait));
        }

        var result = await run;

        Assert.True(result.Succeeded);
        Assert.Equal(4, result.Tasks.Single().Attempts);
        Assert.Equal([Day.AddMinutes(1), Day.AddMinutes(1 + 2), Day.AddMinutes(1 + 2 + 3)], retries.Seen.Select(s => s.At));
        var events = await engine.Store.EventsAsync("d", result.RunId, Token);
        Assert.Equal(3, events.Count(e => e.To == "up_for_retry"));
        Assert.Equal("\"ok\"", (await engine.Store.TaskInstancesAsync("d", result.RunId, Token)).Single().Output);
        var stored = await engine.Store.AttemptsAsync("d", result.RunId, Token);
        Assert.Equal([(1, TaskState.UpForRetry, "attempt 1 failed"), (2, TaskState.UpForRetry, "attempt 2 failed"), (3, TaskState.UpForRetry, "attempt 3 failed"), (4, TaskState.Success, (string?)null)],
            stored.Select(a => (a.TryNumber, a.State, a.Error)));
    }

    [Fact]
    public async Task OutOfRetries_FailsTheTaskAndTheRun_DownstreamUpstreamFailed()
    {
        await using var engine = new TestEngine();
        var dag = Dag(
            Task("a", (_, _) => throw new TaskFailedException("boom"), policy: new TaskPolicy { Retries = 1, RetryDelay = TimeSpan.Zero }),
            Task("b", (_, _) => System.Threading.Tasks.Task.FromResult<object?>(null), ["a"]));

        var result = await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, new DagRunObserver(), Token);

        Assert.Equal([TaskState.Failed, TaskState.UpstreamFailed], result.Tasks.Select(t => t.State));
        Assert.Equal(2, result.Tasks[0].Attempts);
        Assert.Equal(DagRunState.Failed, (await engine.Store.FindRunAsync("d", result.RunId, Token))!.State);
    }

    [Fact]
    public async Task RestartedRunner_ResumesAnAttemptWithAHandle_RetriesOneWithout()
    {
        await using var engine = new TestEngine();
        var seen = new ConcurrentDictionary<string, int>();
        object? Record(TaskContext ctx)
        {
            seen[ctx.TaskId] = ctx.TryNumber;
            return null;
        }

        var dag = Dag(
            Task("with_handle", (ctx, _) => System.Threading.Tasks.Task.FromResult(Record(ctx))),
            Task("without", (ctx, _) => System.Threading.Tasks.Task.FromResult(Record(ctx)), policy: new TaskPolicy { Retries = 1, RetryDelay = TimeSpan.Zero }));
        var run = await engine.Store.CreateRunAsync(new DagTestRequest { LogicalDate = Day }.Run("d", Day), ["with_handle", "without"], Token);
        // What a runner killed while both attempts ran leaves behind: both running, one with a handle.
        foreach (var id in new[] { "with_handle", "without" })
        {
            var task = (await engine.Store.TaskInstancesAsync("d", run.RunId, Token)).Single(t => t.TaskId == id);
            var (scheduled, e1) = TaskMachine.Move(task, TaskState.Scheduled, Day);
            await engine.Store.UpdateTaskAsync(scheduled, e1, Token);
            var (queued, e2) = TaskMachine.Move(scheduled, TaskState.Queued, Day, change: t => t with { TryNumber = 1 });
            await engine.Store.UpdateTaskAsync(queued, e2, Token);
            var (running, e3) = TaskMachine.Move(queued, TaskState.Running, Day);
            await engine.Store.UpdateTaskAsync(running, e3, Token);
        }

        await engine.Store.SaveHandleAsync($"d|{run.RunId}|with_handle|1", "livy_batch", "{}", Token);

        var final = await engine.Executor.RunAsync(dag, run, new DagRunObserver(), Token);

        Assert.Equal(DagRunState.Success, final.State);
        Assert.Equal(1, seen["with_handle"]);
        Assert.Equal(2, seen["without"]);
        var events = await engine.Store.EventsAsync("d", run.RunId, Token);
        Assert.Contains(events, e => e.TaskId == "with_handle" && e.From == "running" && e.To == "running");
        Assert.Contains(events, e => e.TaskId == "without" && e.To == "up_for_retry" && e.Message == "the runner stopped during this attempt");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
