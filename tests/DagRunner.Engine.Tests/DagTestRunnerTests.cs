using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Engine.Tests;

public sealed class DagTestRunnerTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _logs = new();

    private sealed class DelegateTask(string id, Func<TaskContext, CancellationToken, Task<object?>> run) : DagTask(id)
    {
        public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }

    private sealed class Recorder : DagRunObserver
    {
        public List<string> Lines { get; } = [];

        public override void TaskLog(string taskId, string line)
        {
            lock (Lines)
            {
                Lines.Add($"{taskId}: {line}");
            }
        }
    }

    public void Dispose() => _logs.Dispose();

    private static TaskDefinition Task(string id, Func<TaskContext, CancellationToken, Task<object?>> run, string[]? upstream = null, TaskPolicy? policy = null) => new()
    {
        TaskId = id,
        Operator = "DelegateTask",
        Policy = policy ?? new TaskPolicy(),
        Upstream = [.. upstream ?? []],
        Instance = new DelegateTask(id, run),
    };

    private static DagDefinition Dag(params TaskDefinition[] tasks) => new() { DagId = "d", File = "d.csx", Tasks = [.. tasks] };

    // A short cleanup grace: the blocking task below ignores its token and would hold the run for it.
    private async Task<DagTestResult> RunAsync(DagDefinition dag, DagRunObserver? observer = null, TimeProvider? time = null)
    {
        await using var engine = new TestEngine(time, _logs.Path, cleanupGrace: TimeSpan.FromMilliseconds(200));
        return await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, observer ?? new DagRunObserver(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_PassesOutputsDownstreamAndLogsEachLine()
    {
        var recorder = new Recorder();
        var dag = Dag(
            Task("a", (_, _) => System.Threading.Tasks.Task.FromResult<object?>(21)),
            Task("b", (ctx, _) =>
            {
                ctx.Log.Write("half ");
                ctx.Log.WriteLine($"{ctx.Ds} {ctx.Output<int>("a") * 2}");
                return System.Threading.Tasks.Task.FromResult<object?>(null);
            }, ["a"]));

        var result = await RunAsync(dag, recorder);

        Assert.True(result.Succeeded);
        Assert.Equal(["b: half 2026-11-20 42"], recorder.Lines);
        Assert.Matches(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d\] half 2026-11-20 42\r?\n$", File.ReadAllText(result.Tasks[1].LogFile!));
    }

    [Fact]
    public async Task RunAsync_FailurePropagatesByTriggerRule()
    {
        var dag = Dag(
            Task("fails", (_, _) => throw new InvalidOperationException("boom")),
            Task("after", (_, _) => System.Threading.Tasks.Task.FromResult<object?>(null), ["fails"]),
            Task("cleanup", (_, _) => System.Threading.Tasks.Task.FromResult<object?>(null), ["fails"], new TaskPolicy { TriggerRule = TriggerRule.OneFailed }),
            Task("final", (_, _) => System.Threading.Tasks.Task.FromResult<object?>(null), ["after"], new TaskPolicy { TriggerRule = TriggerRule.AllDone }));

        var result = await RunAsync(dag);

        Assert.False(result.Succeeded);
        Assert.Equal([TaskState.Failed, TaskState.UpstreamFailed, TaskState.Success, TaskState.Success], result.Tasks.Select(t => t.State));
        Assert.Equal("boom", result.Tasks[0].Error);
        Assert.Contains("InvalidOperationException: boom", File.ReadAllText(result.Tasks[0].LogFile!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TaskLogLine_IsStampedOnTheExecutorsClock()
    {
        var time = new FakeTimeProvider(Day.AddHours(9).AddMilliseconds(250));
        var dag = Dag(Task("a", async (ctx, _) =>
        {
            await ctx.Log.WriteLineAsync("on the fake clock");
            return null;
        }));

        var result = await RunAsync(dag, time: time);

        Assert.Equal($"[2026-11-20 09:00:00.250 +00:00] on the fake clock{Environment.NewLine}", File.ReadAllText(result.Tasks[0].LogFile!));
    }

    [Fact]
    public async Task RunAsync_TaskPastItsTimeout_IsCancelledAndFails()
    {
        var time = new FakeTimeProvider(Day);
        var started = new TaskCompletionSource();
        var dag = Dag(Task(
            "slow",
            async (_, ct) =>
            {
                started.SetResult();
                await System.Threading.Tasks.Task.Delay(Timeout.Infinite, ct);
                return null;
            },
            policy: new TaskPolicy { ExecutionTimeout = TimeSpan.FromMinutes(5) }));

        var run = RunAsync(dag, time: time);
        await started.Task;
        time.Advance(TimeSpan.FromMinutes(5));
        var result = await run;

        var slow = Assert.Single(result.Tasks);
        Assert.Equal(TaskState.Failed, slow.State);
        Assert.Contains("execution timeout", slow.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TaskBlockingPastItsTimeout_IsAbandonedAndFails()
    {
        var time = new FakeTimeProvider(Day);
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource();
        var dag = Dag(Task(
            "blocks",
            (_, _) =>
            {
                started.SetResult();
                release.Wait(TestContext.Current.CancellationToken);   // ignores the task's own token
                return System.Threading.Tasks.Task.FromResult<object?>(null);
            },
            policy: new TaskPolicy { ExecutionTimeout = TimeSpan.FromSeconds(30) }));

        var run = System.Threading.Tasks.Task.Run(() => RunAsync(dag, time: time), TestContext.Current.CancellationToken);
        await started.Task;
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await run;
        release.Set();

        Assert.Equal(TaskState.Failed, Assert.Single(result.Tasks).State);
        Assert.Contains("execution timeout", result.Tasks[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TaskPastItsTimeout_CleansUpBeforeTheRunGoesOn()
    {
        var time = new FakeTimeProvider(Day);
        var started = new TaskCompletionSource();
        var dag = Dag(Task(
            "cleans_up",
            async (ctx, token) =>
            {
                started.SetResult();
                try
                {
                    await System.Threading.Tasks.Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    await System.Threading.Tasks.Task.Yield();   // a remote DELETE, say
                    await ctx.Log.WriteLineAsync("deleted the remote job");
                    throw;
                }

                return null;
            },
            policy: new TaskPolicy { ExecutionTimeout = TimeSpan.FromSeconds(30) }));

        var run = System.Threading.Tasks.Task.Run(() => RunAsync(dag, time: time), TestContext.Current.CancellationToken);
        await started.Task;
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await run;

        var task = Assert.Single(result.Tasks);
        Assert.Equal(TaskState.Failed, task.State);
        Assert.Contains("deleted the remote job", await File.ReadAllTextAsync(task.LogFile!, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TaskFailedException_LogsTheMessageWithoutAStackTrace()
    {
        var dag = Dag(Task("fails", (_, _) => throw new TaskFailedException("YARN says FAILED")));

        var result = await RunAsync(dag);

        var log = await File.ReadAllTextAsync(result.Tasks[0].LogFile!, TestContext.Current.CancellationToken);
        Assert.EndsWith("] YARN says FAILED", log.Trim(), StringComparison.Ordinal);
        Assert.Single(log.Trim().Split('\n'));
        Assert.Equal("YARN says FAILED", result.Tasks[0].Error);
    }

    [Fact]
    public async Task RunAsync_ParamsOverlayDagTaskAndConf()
    {
        IReadOnlyDictionary<string, object?>? seen = null;
        var task = Task("t", (ctx, _) =>
        {
            seen = ctx.Params;
            return System.Threading.Tasks.Task.FromResult<object?>(null);
        }) with
        {
            Params = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["table"] = System.Text.Json.JsonSerializer.SerializeToElement("task_table"),
                ["region"] = System.Text.Json.JsonSerializer.SerializeToElement("emea"),
            }),
        };
        var definition = Dag(task) with
        {
            Params = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["table"] = System.Text.Json.JsonSerializer.SerializeToElement("sales"),
                ["limit"] = System.Text.Json.JsonSerializer.SerializeToElement(10),
            }),
        };
        var request = new DagTestRequest
        {
            LogicalDate = Day,
            Conf = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["limit"] = System.Text.Json.JsonSerializer.SerializeToElement(99),
            }),
        };

        await using var engine = new TestEngine(logsFolder: _logs.Path);
        await engine.Runner.RunAsync(definition, request, new DagRunObserver(), TestContext.Current.CancellationToken);

        Assert.Equal("task_table", seen!["table"]);
        Assert.Equal("emea", seen["region"]);
        Assert.Equal(99L, seen["limit"]);
    }
}
