using DagRunner.Operators.Livy.Batch;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>The verdict on a batch against a LocalLivy whose sources fail on purpose (injected answers
/// on chosen paths): a source that cannot be asked is no evidence of failure, an unknown verdict is
/// asked again by the retry instead of submitting again, and a batch Livy forgets is judged by YARN.</summary>
public sealed class LivyBatchVerdictTests
{
    private const string Spark = "/api/v1/applications";
    private const string Yarn = "/ws/v1/cluster/apps";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SparkFailingGetsBeyondTheClientsRetries_KeptAskingAndSucceeds()
    {
        // One retry per GET, as a client under a busy History Server gets: four 503s in a row outlast it.
        await using var bed = await LivyTestbed.StartAsync(clientOptions: o => o with { MaxRetries = 1 });
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Server.Faults.AnswerRequests("GET", Spark, 503, times: 4);
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(30) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal("success", output["livy_state"]);
        Assert.Contains("Spark could not be asked", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Spark: succeeded (1 job(s), all SUCCEEDED)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SparkNeverAnswers_VerdictUnknown_RetryAsksAgainWithoutSubmitting()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Server.Faults.AnswerRequests("GET", Spark, 503);
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(2) };
        var first = bed.Context("t", TextWriter.Null);

        var error = await Assert.ThrowsAsync<LivyBatchVerdictUnknownException>(() => task.ExecuteAsync(first, Token));

        Assert.Contains($"verdict unknown: Spark at {bed.Server.BaseUrl} could not be asked for ", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("Livy succeeded, YARN succeeded, Spark unknown", error.Message, StringComparison.Ordinal);
        var recorded = (await first.Checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, Token))!;
        Assert.Equal(LivyBatchHandle.Unknown, recorded.Verdict);

        // Spark answers again; the retry asks about the recorded app instead of running the job twice.
        bed.Server.Faults.ClearRequestRules();
        using var log = new StringWriter();
        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log, tryNumber: 2), Token))!;

        Assert.Equal(recorded.BatchId, output["batch_id"]);
        Assert.Equal(recorded.AppId, output["app_id"]);
        Assert.Contains("asking about it again instead of submitting the job again", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    [Fact]
    public async Task VerdictUnknown_RetryFindsItFailed_SubmitsAgain()
    {
        // Livy says success although the app failed (cluster mode), and YARN and Spark cannot be asked.
        await using var bed = await LivyTestbed.StartAsync(o => o.ClusterModeQuirk = true);
        bed.Jobs.Write("fails.py", "import sys\nsys.exit(3)\n");
        bed.Server.Faults.AnswerRequests("GET", Spark, 503);
        bed.Server.Faults.AnswerRequests("GET", Yarn, 502);
        var task = new LivyBatchOperator("t") { File = "local:///fails.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(1) };

        var unknown = await Assert.ThrowsAsync<LivyBatchVerdictUnknownException>(() => task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token));
        Assert.Contains("verdict unknown: YARN at", unknown.Message, StringComparison.Ordinal);

        bed.Server.Faults.ClearRequestRules();
        using var log = new StringWriter();
        var failed = await Assert.ThrowsAsync<LivyBatchFailedException>(() => task.ExecuteAsync(bed.Context("t", log, tryNumber: 2), Token));

        Assert.Contains("User application exited with status 3; Spark: the driver exited with code 3. The evidence says it failed, so the job is submitted again.", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Batch 1 (", failed.Message, StringComparison.Ordinal);
        Assert.Equal(2, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    [Fact]
    public async Task LivyForgetsTheBatchWhileFollowing_AppIdKnown_VerdictFromYarn()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var go = Path.Combine(bed.Jobs.Path, "go");
        bed.Jobs.Write("wait.py", $"import os, time\nwhile not os.path.exists(r'{go}'):\n    time.sleep(0.05)\nprint('finished')\n");
        var task = new LivyBatchOperator("t") { File = "local:///wait.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new LineSignal();

        var running = task.ExecuteAsync(bed.Context("t", log), Token);
        await log.WaitForAsync(": app application_", Token);
        bed.Server.Faults.AnswerRequests("GET", "/batches/0", 404);   // Livy restarted without recovery; the app runs on
        bed.Jobs.Write("go", "");
        var output = (IReadOnlyDictionary<string, object?>)(await running)!;

        Assert.Equal("forgotten", output["livy_state"]);
        Assert.StartsWith("application_", (string?)output["app_id"], StringComparison.Ordinal);
        Assert.Contains("Livy no longer knows batch 0", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("YARN: succeeded (FINISHED/SUCCEEDED)", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }

    [Fact]
    public async Task HalfOfAllGetsFailing_FanOutOfVerifiedBatches_AllSucceedEachSubmittedOnce()
    {
        // The probe's case: every GET (Livy, YARN, Spark) fails half the time, and the client retries
        // each once, so a quarter of the calls fail outright.
        await using var bed = await LivyTestbed.StartAsync(clientOptions: o => o with { MaxRetries = 1 });
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Server.Faults.AnswerRequests("GET", "/", 503, rate: 0.5, seed: 13);
        var runs = Enumerable.Range(0, 6).Select(i =>
        {
            var task = new LivyBatchOperator($"t{i}") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100) };
            return task.ExecuteAsync(bed.Context($"t{i}", TextWriter.Null), Token);
        }).ToList();

        var outputs = await Task.WhenAll(runs);

        Assert.All(outputs, o => Assert.Equal("success", ((IReadOnlyDictionary<string, object?>)o!)["livy_state"]));
        Assert.Equal(6, bed.Server.RequestTimings()["POST /batches"].Count);
    }
}
