// Store decorators below expose fields for brevity; they are test fakes, not API.
#pragma warning disable CA1051, CA1725, CA1062, CA1031, CA2000, CA1859
using System.Reflection;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Engine.Storage;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Engine.Tests;

/// <summary>Regressions found by review: each failed before its fix.</summary>
public sealed class EngineRegressionTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class DelegateTask(string id, Func<TaskContext, CancellationToken, Task<object?>> run) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }

    private static TaskDefinition T(string id, Func<TaskContext, CancellationToken, Task<object?>>? run = null, string[]? upstream = null) => new()
    {
        TaskId = id, Operator = "DelegateTask", Policy = new TaskPolicy(), Upstream = [.. upstream ?? []],
        Instance = new DelegateTask(id, run ?? ((_, _) => Task.FromResult<object?>(null))),
    };

    private static DagDefinition Dag(int maxActiveRuns = 16, params TaskDefinition[] tasks) => new() { DagId = "d", File = "d.csx", MaxActiveRuns = maxActiveRuns, Tasks = [.. tasks] };

    private static async Task<DagRun> RunningInStore(TestEngine engine, string[] taskIds, string runningTask)
    {
        var run = await engine.Store.CreateRunAsync(new DagTestRequest { LogicalDate = Day }.Run("d", Day), taskIds, Token);
        var task = (await engine.Store.TaskInstancesAsync("d", run.RunId, Token)).Single(t => t.TaskId == runningTask);
        var (s, e1) = TaskMachine.Move(task, TaskState.Scheduled, Day);
        await engine.Store.UpdateTaskAsync(s, e1, Token);
        var (q, e2) = TaskMachine.Move(s, TaskState.Queued, Day, change: t => t with { TryNumber = 1 });
        await engine.Store.UpdateTaskAsync(q, e2, Token);
        var (r, e3) = TaskMachine.Move(q, TaskState.Running, Day);
        await engine.Store.UpdateTaskAsync(r, e3, Token);
        return run;
    }

    // 1. A task left running by a killed runner, then removed from the DAG file: Running -> Removed is not an allowed move.
    [Fact]
    public async Task RemovedTaskLeftRunning_IsMarkedRemovedAndTheRunEnds()
    {
        await using var engine = new TestEngine();
        var run = await RunningInStore(engine, ["a", "gone"], "gone");
        var ex = await Record.ExceptionAsync(() => engine.Executor.RunAsync(Dag(16, T("a")), run, new DagRunObserver(), Token));
        Assert.Null(ex);
        Assert.Equal(TaskState.Removed, (await engine.Store.TaskInstancesAsync("d", run.RunId, Token)).Single(t => t.TaskId == "gone").State);
    }

    // 2. A task added to the DAG file after the run was created (e.g. a queued run waiting on MaxActiveRuns).
    [Fact]
    public async Task TaskAddedAfterRunCreated_JoinsTheRun()
    {
        await using var engine = new TestEngine();
        var run = await engine.Store.CreateRunAsync(new DagTestRequest { LogicalDate = Day }.Run("d", Day), ["a"], Token);
        var ex = await Record.ExceptionAsync(() => engine.Executor.RunAsync(Dag(16, T("a"), T("b", upstream: ["a"])), run, new DagRunObserver(), Token));
        Assert.Null(ex);
        Assert.All(await engine.Store.TaskInstancesAsync("d", run.RunId, Token), t => Assert.Equal(TaskState.Success, t.State));
    }

    // 3. A backfill run executing in the CLI process was picked up by the scheduler too.
    [Fact]
    public async Task Scheduler_LeavesABackfillRunToTheProcessRunningIt()
    {
        await using var engine = new TestEngine();
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<object?> Work(TaskContext _, CancellationToken ct)
        {
            inside.TrySetResult();
            await release.Task.WaitAsync(ct);
            return null;
        }

        var dag = Dag(16, T("t", Work));
        var backfill = await engine.Store.CreateRunAsync(new DagRun
        {
            DagId = "d", RunId = DagRun.IdFor(RunType.Backfill, Day), RunType = RunType.Backfill, LogicalDate = Day,
            DataIntervalStart = Day, DataIntervalEnd = Day.AddDays(1), QueuedAt = Day,
        }, ["t"], Token);
        var cli = engine.Executor.RunAsync(dag, backfill, new DagRunObserver(), Token); // "dags backfill" in another process
        await inside.Task;
        using var scheduler = new DagScheduler(engine.Store, engine.Executor, TimeProvider.System, new SchedulerOptions(), _ => Task.FromResult<IReadOnlyList<DagDefinition>>([dag]));

        await scheduler.TickAsync(Token);
        var taken = scheduler.RunningCount;
        release.TrySetResult();
        var final = await cli;

        Assert.Equal(0, taken);
        Assert.Equal(DagRunState.Success, final.State);
        Assert.DoesNotContain(await engine.Store.EventsAsync("d", backfill.RunId, Token), e => e.Message == "the runner stopped during this attempt");
    }

    // 4. dags test of the same logical date again: the run is deleted and recreated with try numbers from 0,
    //    but remote_handle rows survive, so attempt 1 of the new test has the old attempt's handle (Livy batch).
    [Fact]
    public async Task DagsTestAgain_StartsANewAttemptWithoutThePreviousHandle()
    {
        await using var engine = new TestEngine();
        var keys = new List<(string Key, bool HadHandle)>();
        var dag = Dag(16, T("t", async (ctx, ct) =>
        {
            var had = await engine.Store.LoadHandleAsync(ctx.AttemptKey, "livy_batch", ct) is not null;
            keys.Add((ctx.AttemptKey, had));
            await engine.Store.SaveHandleAsync(ctx.AttemptKey, "livy_batch", "{\"BatchId\":\"7\"}", ct);
            return null;
        }));
        await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, new DagRunObserver(), Token);
        await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, new DagRunObserver(), Token);
        Assert.NotEqual(keys[0].Key, keys[1].Key);
        Assert.False(keys[1].HadHandle);
    }

    // 5. MaxActiveRuns exceeded: a run this scheduler already started but whose store row is still 'queued'
    //    is skipped by `continue` without being counted.
    [Fact]
    public async Task MaxActiveRuns_HoldsWhileAStartedRunIsStillQueuedInTheStore()
    {
        await using var engine = new TestEngine();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = DelayingStore.Create(engine.Store, gate.Task);
        var inside = 0; var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<object?> Work(TaskContext _, CancellationToken ct)
        {
            most = Math.Max(most, Interlocked.Increment(ref inside));
            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inside);
            return null;
        }
        var dag = Dag(1, T("t", Work));
        foreach (var i in new[] { 0, 1 })
            await engine.Store.CreateRunAsync(new DagTestRequest { LogicalDate = Day.AddDays(i) }.Run("d", Day, RunType.Manual), ["t"], Token);
        var executor = new DagRunExecutor(store, engine.Slots, engine.Options, TimeProvider.System);
        using var scheduler = new DagScheduler(store, executor, TimeProvider.System, new SchedulerOptions(), _ => Task.FromResult<IReadOnlyList<DagDefinition>>([dag]));
        await scheduler.TickAsync(Token);  // starts run 0 (its executor is slow to mark it running)
        await scheduler.TickAsync(Token);  // e.g. woken by another DAG's run ending
        var started = scheduler.RunningCount;
        gate.TrySetResult();
        release.TrySetResult();
        await scheduler.IdleAsync();
        Assert.Equal(1, started);
    }

    public class DelayingStore : DispatchProxy
    {
        public IRunStore Inner = null!;
        public Task Gate = Task.CompletedTask;

        public static IRunStore Create(IRunStore inner, Task gate)
        {
            var proxy = Create<IRunStore, DelayingStore>();
            ((DelayingStore)(object)proxy).Inner = inner;
            ((DelayingStore)(object)proxy).Gate = gate;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IRunStore.TaskInstancesAsync))
                return Later(args!);
            return method.Invoke(Inner, args);
        }

        private async Task<IReadOnlyList<TaskInstance>> Later(object?[] args)
        {
            await Gate;
            return await Inner.TaskInstancesAsync((string)args[0]!, (string)args[1]!, (CancellationToken)args[2]!);
        }
    }

    // 6. The detach registration outlives the semaphore it releases: a stop signal that arrives while the run's
    //    final state is being written throws from CancellationTokenSource.Cancel (the signal handler).
    [Fact]
    public async Task DetachDuringFinalWrite_DoesNotThrowFromCancel()
    {
        await using var engine = new TestEngine();
        using var detach = new CancellationTokenSource();
        var run = await engine.Store.CreateRunAsync(new DagTestRequest { LogicalDate = Day }.Run("d", Day), ["t"], Token);
        var store = FinalWriteStore.Create(engine.Store, () =>
        {
            var ex = Record.Exception(() => detach.Cancel());
            Assert.Null(ex);
        });
        var executor = new DagRunExecutor(store, engine.Slots, engine.Options, TimeProvider.System);
        await executor.RunAsync(Dag(16, T("t")), run, new DagRunObserver(), Token, detach.Token);
    }

    public class FinalWriteStore : DispatchProxy
    {
        public IRunStore Inner = null!;
        public Action OnFinal = null!;

        public static IRunStore Create(IRunStore inner, Action onFinal)
        {
            var proxy = Create<IRunStore, FinalWriteStore>();
            ((FinalWriteStore)(object)proxy).Inner = inner;
            ((FinalWriteStore)(object)proxy).OnFinal = onFinal;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IRunStore.UpdateRunAsync) && ((DagRun)args![0]!).State is DagRunState.Success or DagRunState.Failed)
                OnFinal();
            return method.Invoke(Inner, args);
        }
    }
}
