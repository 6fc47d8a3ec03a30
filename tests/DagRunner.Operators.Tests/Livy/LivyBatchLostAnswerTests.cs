using System.Collections.Concurrent;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>A <c>POST /batches</c> that Livy handled but whose answer was lost, followed by a Livy that
/// cannot be asked for the batch by name (503s from a proxy in front of LocalLivy): the batch is
/// found in YARN by its tag, by the same try or by the retry, and the Spark job runs once.</summary>
public sealed class LivyBatchLostAnswerTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private const string Yarn = "/ws/v1/cluster/apps";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // The first POST's answer is lost; every lookup of a batch by name answers 503 (Livy restarting).
    private static Func<string, string, ProxyFault?> LostPostThenNoLookups(Func<bool>? yarnDown = null)
    {
        var posts = 0;
        return (method, path) =>
            method == "POST" && path == "/batches" && Interlocked.Increment(ref posts) == 1 ? new ProxyFault(502, Lost: true)
            : method == "GET" && path.StartsWith("/batches/dagrunner-", StringComparison.Ordinal) ? new ProxyFault(503, Lost: false)
            : method == "GET" && path.StartsWith(Yarn, StringComparison.Ordinal) && yarnDown?.Invoke() == true ? new ProxyFault(503, Lost: false)
            : null;
    }

    [Fact]
    public async Task LostPostAnswerAndLivyLookupsFailing_TheAppIsFoundInYarnAndTheJobRunsOnce()
    {
        await using var bed = await LivyTestbed.StartAsync(proxied: true);
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Proxy!.Faults = LostPostThenNoLookups();
        var task = new LivyBatchOperator("aggregate") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(5) };
        var dag = new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Tasks = [new TaskDefinition { TaskId = "aggregate", Operator = nameof(LivyBatchOperator), Policy = new TaskPolicy { Retries = 1, RetryDelay = TimeSpan.Zero }, Instance = task }],
        };
        var observer = new Observer();
        await using var engine = new TestEngine(services: bed);

        var result = await engine.Runner.RunAsync(dag, new DagTestRequest { LogicalDate = Day }, observer, Token);

        Assert.True(result.Succeeded, string.Join('\n', observer.Lines));
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
        Assert.Contains(observer.Lines, l => l.Contains("following it there instead of submitting again", StringComparison.Ordinal));
        Assert.DoesNotContain(observer.Lines, l => l.StartsWith("retrying:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LostPostAnswerAndEveryLookupFailingThroughTheFirstTry_TheRetryFollowsItsBatch()
    {
        await using var bed = await LivyTestbed.StartAsync(proxied: true);
        bed.Jobs.Write("ok.py", "print('done')\n");
        var yarnDown = true;
        bed.Proxy!.Faults = LostPostThenNoLookups(() => Volatile.Read(ref yarnDown));
        var task = new LivyBatchOperator("t")
        {
            File = "local:///ok.py", VerifyIn = VerifyIn.Yarn, PollInterval = TimeSpan.FromMilliseconds(100),
            UnreachableTimeout = TimeSpan.FromSeconds(1), CleanupTimeout = TimeSpan.FromSeconds(1), VerifyTimeout = TimeSpan.FromSeconds(5),
        };
        using var firstLog = new StringWriter();

        var failed = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("t", firstLog), Token));

        Assert.Contains("(LivyBatchOperator.UnreachableTimeout is 1 s)", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Stopped before any batch was submitted", firstLog.ToString(), StringComparison.Ordinal);

        // YARN answers again; Livy still cannot be asked by name. The retry follows the first try's app.
        Volatile.Write(ref yarnDown, false);
        using var log = new StringWriter();
        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log, tryNumber: 2), Token))!;

        Assert.Contains("An earlier try submitted batch", log.ToString(), StringComparison.Ordinal);
        Assert.NotNull(output["app_id"]);
        Assert.EndsWith("-1", (string)output["batch_name"]!, StringComparison.Ordinal);
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    [Fact]
    public async Task PostFailingTwiceBeforeReachingLivy_BothSourcesSayNothingWasCreated_PostedAgainAndTheJobRunsOnce()
    {
        await using var bed = await LivyTestbed.StartAsync(proxied: true);
        bed.Jobs.Write("ok.py", "print('done')\n");
        var posts = 0;
        // Livy is out for the first two POSTs (not forwarded): nothing is created by them.
        bed.Proxy!.Faults = (method, path) =>
            method == "POST" && path == "/batches" && Interlocked.Increment(ref posts) <= 2 ? new ProxyFault(503, Lost: false) : null;
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn, PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal("success", output["livy_state"]);
        Assert.Equal(3, Volatile.Read(ref posts));
        Assert.Equal(2, log.ToString().Split('\n').Count(l => l.StartsWith("Submitting did not give an answer", StringComparison.Ordinal)));
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    private sealed class Observer : DagRunObserver
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public override void TaskLog(string taskId, string line) => Lines.Enqueue(line);

        public override void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt) => Lines.Enqueue($"retrying: {reason}");
    }
}
