using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>The batch operator against LocalLivy over real HTTP.</summary>
public sealed class LivyBatchOperatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HonestSuccess_PassesWithEverySourceAndRecordsTheHandle()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("jobs/ok.py", "import sys\nprint('args', sys.argv[1:])\n");
        var task = new LivyBatchOperator("aggregate") { File = "local:///jobs/ok.py", Args = { "--date", "2026-11-20" }, VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(200) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("aggregate", log), Token))!;

        Assert.Equal("0", output["batch_id"]);
        Assert.StartsWith("application_", (string?)output["app_id"], StringComparison.Ordinal);
        Assert.EndsWith($"/proxy/{output["app_id"]}/", (string?)output["spark_ui_url"], StringComparison.Ordinal);
        Assert.Equal("success", output["livy_state"]);
        var text = log.ToString();
        Assert.Contains("args ['--date', '2026-11-20']", text, StringComparison.Ordinal);
        Assert.Contains("YARN: succeeded (FINISHED/SUCCEEDED)", text, StringComparison.Ordinal);
        Assert.Contains("Spark: succeeded (1 job(s), all SUCCEEDED)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterModeLie_LivySuccessYarnFailed_FailsTheTaskSayingWhoSaidWhat()
    {
        await using var bed = await LivyTestbed.StartAsync(o => o.ClusterModeQuirk = true);
        bed.Jobs.Write("fails.py", "import sys\nsys.exit(3)\n");
        var task = new LivyBatchOperator("t") { File = "local:///fails.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(200) };
        using var log = new StringWriter();

        var error = await Assert.ThrowsAsync<LivyBatchFailedException>(() => task.ExecuteAsync(bed.Context("t", log), Token));

        Assert.Contains("the sources disagree (Livy succeeded, YARN failed, Spark failed)", error.Message, StringComparison.Ordinal);
        Assert.Contains("User application exited with status 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Livy: succeeded (success)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterModeLie_WithoutVerification_IsBelieved()
    {
        await using var bed = await LivyTestbed.StartAsync(o => o.ClusterModeQuirk = true);
        bed.Jobs.Write("fails.py", "import sys\nsys.exit(3)\n");
        var task = new LivyBatchOperator("t") { File = "local:///fails.py", VerifyIn = VerifyIn.None, PollInterval = TimeSpan.FromMilliseconds(200) };

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token))!;

        // Which is why VerifyIn defaults to YARN.
        Assert.Equal("success", output["livy_state"]);
    }

    [Fact]
    public async Task HonestFailure_EverySourceSaysFailed()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("fails.py", "raise SystemExit('no input for 2026-11-20')\n");
        var task = new LivyBatchOperator("t") { File = "local:///fails.py", PollInterval = TimeSpan.FromMilliseconds(200) };
        using var log = new StringWriter();

        var error = await Assert.ThrowsAsync<LivyBatchFailedException>(() => task.ExecuteAsync(bed.Context("t", log), Token));

        Assert.Contains("every source says it failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("no input for 2026-11-20", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_DeletesTheBatchAndItsAppIsKilled()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("slow.py", "import time\nprint('working', flush=True)\ntime.sleep(120)\n");
        var task = new LivyBatchOperator("slow") { File = "local:///slow.py", PollInterval = TimeSpan.FromMilliseconds(200) };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("working", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(bed.Context("slow", log), cancel.Token));

        Assert.Contains("Stopped: deleted Livy batch 0", log.ToString(), StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetBatchAsync("0", Token));
        var app = Assert.Single(await bed.Clients.Yarn("yarn_default").FindAppsByTagAsync(BatchNaming.Tag(bed.Context("slow", TextWriter.Null)), Token));
        Assert.Equal("KILLED", app.State);
    }

    [Fact]
    public async Task SameAttemptAlreadySubmitted_FollowsThatBatchInsteadOfSubmittingAgain()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('once')\n");
        var livy = bed.Clients.Livy("livy_default");
        // A first try whose answer was lost: the batch exists under the attempt's name.
        var name = BatchNaming.Name(bed.Context("t", TextWriter.Null));
        var first = await livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///ok.py", Name = name }, Token);
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", PollInterval = TimeSpan.FromMilliseconds(200) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal(first.Id, output["batch_id"]);
        Assert.Contains($"Found batch {first.Id} ({name})", log.ToString(), StringComparison.Ordinal);
        Assert.Null(await livy.GetBatchAsync("1", Token));   // id 1 was consumed by the refused create, never a batch
        Assert.Equal(2, bed.Server.RequestTimings()["POST /batches"].Count);   // the lost first try, and the refused second
    }

    [Fact]
    public async Task ServerFailingAQuarterOfRequests_TaskStillEndsRightAndSubmitsOnce()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('done')\n");
        bed.Server.Faults.ServerErrorRate = 0.25;
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100) };

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token))!;
        bed.Server.Faults.ServerErrorRate = 0;

        Assert.Equal("success", output["livy_state"]);
        var yarn = bed.Clients.Yarn("yarn_default");
        Assert.Single(await yarn.FindAppsByTagAsync(BatchNaming.Tag(bed.Context("t", TextWriter.Null)), Token));
    }

    [Fact]
    public async Task RecordedHandle_RunnerRestarted_FollowsTheSameBatch()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('ran once')\n");
        var context = bed.Context("t", TextWriter.Null);
        var name = BatchNaming.Name(context);
        var tag = BatchNaming.Tag(context);
        // What the previous runner recorded before it was killed.
        var earlier = await bed.Clients.Livy("livy_default").CreateBatchAsync(new LivyBatchRequest { File = "local:///ok.py", Name = name }, Token);
        await context.Checkpoint.SaveAsync(LivyBatchHandle.Kind, new LivyBatchHandle(earlier.Id, name, tag, null, null, null), Token);
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.Yarn, PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal(earlier.Id, output["batch_id"]);
        Assert.Contains($"Resuming: following batch {earlier.Id} ({name})", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
        var recorded = await context.Checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, Token);
        Assert.Equal(output["app_id"], recorded!.AppId);
    }

    [Fact]
    public async Task RecordedHandle_LivyForgotButYarnRanIt_VerdictFromYarnWithoutSubmitting()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('ran once')\n");
        var context = bed.Context("t", TextWriter.Null);
        var (name, tag) = (BatchNaming.Name(context), BatchNaming.Tag(context));
        var livy = bed.Clients.Livy("livy_default");
        var earlier = await livy.CreateBatchAsync(new LivyBatchRequest { File = "local:///ok.py", Name = name, Conf = new Dictionary<string, string> { ["spark.yarn.tags"] = tag } }, Token);
        while (!LivyStates.IsFinalBatchState((await livy.GetBatchAsync(earlier.Id, Token))!.State))
            await Task.Delay(20, Token);
        await context.Checkpoint.SaveAsync(LivyBatchHandle.Kind, new LivyBatchHandle(earlier.Id, name, tag, null, null, null), Token);
        await bed.Server.RestartAsync(keepState: false, Token);   // Livy forgets; YARN remembers
        bed.Server.ClearRequestTimings();
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal("forgotten", output["livy_state"]);
        Assert.StartsWith("application_", (string?)output["app_id"], StringComparison.Ordinal);
        Assert.Contains("Following app", log.ToString(), StringComparison.Ordinal);
        Assert.False(bed.Server.RequestTimings().ContainsKey("POST /batches"));
    }

    [Fact]
    public async Task RecordedHandle_BatchForgotten_SubmitsOnce()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('x')\n");
        var context = bed.Context("t", TextWriter.Null);
        await context.Checkpoint.SaveAsync(LivyBatchHandle.Kind, new LivyBatchHandle("17", BatchNaming.Name(context), BatchNaming.Tag(context), null, null, null), Token);
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", VerifyIn = VerifyIn.None, PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", log), Token))!;

        Assert.Equal("0", output["batch_id"]);
        Assert.Contains("Recorded batch 17 is no longer known", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyLinesQuickly_EachShownOnce()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("chatty.py", "import time\nfor i in range(600):\n    print(f'line {i}', flush=True)\n    time.sleep(0.002)\n");
        var task = new LivyBatchOperator("t") { File = "local:///chatty.py", VerifyIn = VerifyIn.None, PollInterval = TimeSpan.FromMilliseconds(100) };
        using var log = new StringWriter();

        await task.ExecuteAsync(bed.Context("t", log), Token);

        var lines = log.ToString().Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("line 599", lines);
    }

    [Fact]
    public async Task UserName_EachAttemptGetsItsOwnBatch()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("ok.py", "print('x')\n");
        var task = new LivyBatchOperator("t") { File = "local:///ok.py", Name = "nightly-aggregate", VerifyIn = VerifyIn.None, PollInterval = TimeSpan.FromMilliseconds(100) };

        var first = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("t", TextWriter.Null), Token))!;
        var retry = Contexts.For("t", TextWriter.Null, services: bed) is var c ? new Sdk.TaskContext { DagId = c.DagId, TaskId = c.TaskId, RunId = c.RunId, LogicalDate = c.LogicalDate, TryNumber = 2, Services = bed } : null;
        var second = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(retry!, Token))!;

        Assert.StartsWith("nightly-aggregate-", (string?)first["batch_name"], StringComparison.Ordinal);
        Assert.NotEqual(first["batch_name"], second["batch_name"]);
        Assert.NotEqual(first["batch_id"], second["batch_id"]);
    }
}
