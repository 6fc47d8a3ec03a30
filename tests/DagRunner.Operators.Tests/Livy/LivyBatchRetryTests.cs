using System.Collections.Concurrent;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>A batch task with <c>Retries = 1</c> run by the engine (real executor, SQLite store) against
/// LocalLivy: an unknown verdict is never a reason to run the Spark job twice.</summary>
public sealed class LivyBatchRetryTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SparkSilentThroughTheFirstTry_TheRetryAsksAgainAndTheJobIsSubmittedOnce()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Server.Faults.AnswerRequests("GET", "/api/v1/applications", 503);
        var task = new LivyBatchOperator("aggregate") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(1) };
        var dag = new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Tasks = [new TaskDefinition { TaskId = "aggregate", Operator = nameof(LivyBatchOperator), Policy = new TaskPolicy { Retries = 1, RetryDelay = TimeSpan.Zero }, Instance = task }],
        };
        // Spark answers again once the first try has failed.
        var observer = new Observer(() => bed.Server.Faults.ClearRequestRules());
        await using var engine = new TestEngine(services: bed);

        var result = await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, observer, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join('\n', observer.Lines));
        Assert.Contains(observer.Lines, l => l.Contains("verdict unknown: Spark at", StringComparison.Ordinal));
        Assert.Contains(observer.Lines, l => l.Contains("asking about it again instead of submitting the job again", StringComparison.Ordinal));
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    private sealed class Observer(Action onRetry) : DagRunObserver
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public override void TaskLog(string taskId, string line) => Lines.Enqueue(line);

        public override void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt)
        {
            Lines.Enqueue($"retrying: {reason}");
            onRetry();
        }
    }
}
