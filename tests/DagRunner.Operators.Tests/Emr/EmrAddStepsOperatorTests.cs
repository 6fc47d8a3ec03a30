using DagRunner.Sdk;
using System.Text.Json;
using DagRunner.Operators.Emr;
using DagRunner.Operators.Tests.Livy;
using DagRunner.Operators.Tests.SparkSubmit;

namespace DagRunner.Operators.Tests.Emr;

/// <summary>
/// EmrAddStepsOperator against LocalLivy's EMR endpoint over real HTTP: Spark steps run as python3 processes, their
/// apps show in the server's YARN, so the operator's evidence (EMR's step state, YARN's app) is real. Success with
/// one and with two concurrent steps, a failing step and its failure details, secrets in the log, and a
/// cancellation that cancels the step in EMR and kills its app.
/// </summary>
public sealed class EmrAddStepsOperatorTests(EmrFixture fixture) : IClassFixture<EmrFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private LivyTestbed Bed => fixture.Bed;

    [Fact]
    public async Task SparkStep_Succeeds_OutputHasIds_LogShowsEmrAndYarn_VerdictRecorded()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("one_step", cluster, EmrBed.Spark(Bed.Job("print('counted', 42)\n")));
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("one_step", log), Token));

        Assert.Equal(cluster, output["job_flow_id"]);
        var stepId = Assert.IsType<string>(output["step_id"]);
        Assert.StartsWith("s-", stepId, StringComparison.Ordinal);
        var appId = Assert.IsType<string>(output["app_id"]);
        Assert.Matches(@"^application_\d+_\d+$", appId);
        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((stepId, "COMPLETED"), (step.Id, step.Status.State));
        var tag = Assert.IsType<string>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<string?>>(output["yarn_tags"])));
        var app = Assert.Single(await Bed.AppsTaggedAsync(tag));
        Assert.Equal((appId, "SUCCEEDED"), (app.Id, app.FinalStatus));

        var text = log.ToString();
        Assert.Contains($"[dagrunner] EMR added step {stepId}", text, StringComparison.Ordinal);
        Assert.Contains($"[dagrunner] EMR: step {stepId} (", text, StringComparison.Ordinal);
        Assert.Contains(") is COMPLETED.", text, StringComparison.Ordinal);
        Assert.Contains($"[dagrunner] YARN: step {stepId} runs app {appId}", text, StringComparison.Ordinal);
        Assert.Contains("  EMR: succeeded (COMPLETED)", text, StringComparison.Ordinal);
        Assert.Contains("  YARN: succeeded (FINISHED/SUCCEEDED", text, StringComparison.Ordinal);

        var handle = await Bed.StepsHandleAsync("one_step");
        Assert.Equal("succeeded", handle!.Verdict);
        var record = Assert.Single(handle.Steps);
        Assert.Equal((stepId, appId, "COMPLETED"), (record.StepId, record.AppId, record.State));
        Assert.Contains(record.Evidence!, e => e.Source == "YARN" && e.Verdict == "succeeded");
    }

    [Fact]
    public async Task TwoSteps_OnAClusterOfConcurrencyTwo_RunSideBySide_BothSucceed()
    {
        var cluster = await Bed.StartClusterAsync(stepConcurrency: 2);
        // Each step says it started, then waits for the other's word: they end only if EMR runs them at once.
        var a = Bed.Jobs[$"a-{Guid.NewGuid():N}"];
        var b = Bed.Jobs[$"b-{Guid.NewGuid():N}"];
        var task = EmrBed.AddSteps("two_steps", cluster,
            EmrBed.Spark(Bed.Job(Rendezvous(a, b))),
            EmrBed.Spark(Bed.Job(Rendezvous(b, a))));
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("two_steps", log), Token));

        var ids = Assert.IsAssignableFrom<IReadOnlyList<string?>>(output["step_ids"]);
        var apps = Assert.IsAssignableFrom<IReadOnlyList<string?>>(output["app_ids"]);
        Assert.Equal(2, ids.Distinct().Count(id => id is not null));
        Assert.Equal(2, apps.Distinct().Count(id => id is not null));
        var steps = await Bed.StepsAsync(cluster);
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal("COMPLETED", s.Status.State));
        // Default names: one per step, numbered.
        Assert.All(steps, s => Assert.Matches(@"^dagrunner-d-two_steps-[0-9a-f]{12}-1-[12]$", s.Name));
        Assert.Equal("succeeded", (await Bed.StepsHandleAsync("two_steps"))!.Verdict);
        Assert.Contains("Adding 2 steps to cluster", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandStep_ArgsSentAsGiven_EmrStateAloneDecides()
    {
        var cluster = await Bed.StartClusterAsync();
        var step = new EmrCommandStep { Args = { "spark-submit", "--deploy-mode", "cluster", Bed.Job("print('by command')\n") } };
        var task = EmrBed.AddSteps("command_step", cluster, step);
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(Bed.Context("command_step", log), Token));

        var added = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal((added.Id, "COMPLETED"), ((string?)output["step_id"], added.Status.State));
        Assert.Equal(["spark-submit", "--deploy-mode", "cluster"], added.Config!.Args!.Take(3));
        Assert.Null(output["app_id"]);
        Assert.Contains("  EMR: succeeded (COMPLETED)", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("  YARN: ", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingStep_FailsWithTheStepAndEmrsReason_LogHasFailureDetailsAndStepLogs()
    {
        var cluster = await Bed.StartClusterAsync(logUri: "s3://emr-logs/dagrunner/");
        var task = EmrBed.AddSteps("failing_step", cluster, EmrBed.Spark(Bed.Job("print('loading', flush=True)\nraise ValueError('no input for 2026-11-20')\n")));
        var log = new StringWriter();

        var failure = await Assert.ThrowsAsync<EmrStepFailedException>(() => task.ExecuteAsync(Bed.Context("failing_step", log), Token));

        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Equal("FAILED", step.Status.State);
        Assert.Contains($"Step {step.Id} ({step.Name}) did not succeed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ValueError: no input for 2026-11-20", failure.Message, StringComparison.Ordinal);
        Assert.Contains("YARN: ", failure.Message, StringComparison.Ordinal);
        var text = log.ToString();
        Assert.Contains("  EMR's failure details: ValueError: no input for 2026-11-20", text, StringComparison.Ordinal);
        Assert.Contains($"  Step logs: s3://emr-logs/dagrunner/{cluster}/steps/{step.Id}/", text, StringComparison.Ordinal);
        var handle = await Bed.StepsHandleAsync("failing_step");
        Assert.Equal(("failed", "s3://emr-logs/dagrunner/"), (handle!.Verdict, handle.LogUri));
    }

    [Fact]
    public async Task SecretConf_IsMaskedInTheLog_ButReachesTheJob()
    {
        var cluster = await Bed.StartClusterAsync();
        var seen = Bed.Jobs[$"seen-{Guid.NewGuid():N}"];
        var task = EmrBed.AddSteps("secret_conf", cluster, EmrBed.Spark(Bed.Job($"open({JsonSerializer.Serialize(seen)}, 'w').write('ran')\n")));
        var spark = (EmrSparkStep)task.Steps[0];
        spark.Conf["spark.hadoop.fs.s3a.secret.key"] = "s3cr3t-conf-value";
        spark.Conf["spark.executor.memoryOverhead"] = "512m";
        var log = new StringWriter();

        await task.ExecuteAsync(Bed.Context("secret_conf", log), Token);

        var text = log.ToString();
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
        Assert.Contains("spark.hadoop.fs.s3a.secret.key=***", text, StringComparison.Ordinal);
        Assert.Contains("spark.executor.memoryOverhead=512m", text, StringComparison.Ordinal);
        Assert.True(File.Exists(seen));
        // EMR itself is sent the value: the step's arguments carry it (AWS shows them to whoever lists steps).
        var step = Assert.Single(await Bed.StepsAsync(cluster));
        Assert.Contains("spark.hadoop.fs.s3a.secret.key=s3cr3t-conf-value", step.Config!.Args ?? []);
        Assert.DoesNotContain("s3cr3t", JsonSerializer.Serialize(await Bed.StepsHandleAsync("secret_conf")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_WhileTheStepRuns_StepCancelledInEmr_AppKilledInYarn()
    {
        var cluster = await Bed.StartClusterAsync();
        var started = Bed.Jobs[$"started-{Guid.NewGuid():N}"];
        var release = Bed.Jobs[$"release-{Guid.NewGuid():N}"];
        // Runs until released (the test releases it only to clean up): no guessed duration.
        var task = EmrBed.AddSteps("cancelled_step", cluster, EmrBed.Spark(Bed.Job(
            $"import os, time\nopen({JsonSerializer.Serialize(started)}, 'w').write('up')\nwhile not os.path.exists({JsonSerializer.Serialize(release)}):\n    time.sleep(0.05)\n")));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new StringWriter();
        try
        {
            var running = task.ExecuteAsync(Bed.Context("cancelled_step", log), cancel.Token);
            // Cancelled once the step runs in EMR, its job has started and the operator has recorded the step's id.
            await EmrBed.UntilAsync(() => File.Exists(started) || running.IsCompleted);
            Assert.False(running.IsCompleted, $"the task ended before it was cancelled:\n{running.Exception}");
            var handle = await EmrBed.PollAsync(() => Bed.StepsHandleAsync("cancelled_step"), h => h?.Steps[0].StepId is not null);
            var stepId = handle!.Steps[0].StepId!;
            Assert.Equal("RUNNING", (await Bed.Emr().DescribeStepAsync(cluster, stepId, Token)).Status.State);
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

            var step = await Bed.WaitForStepAsync(cluster, stepId, "CANCELLED", "FAILED", "COMPLETED", "INTERRUPTED");
            Assert.Equal("CANCELLED", step.Status.State);
            var app = await EmrBed.PollAsync(async () => Assert.Single(await Bed.AppsTaggedAsync(handle.Steps[0].Tag!)), a => a.IsTerminal);
            Assert.Equal("KILLED", app.State);
            Assert.Contains($"Asked EMR to cancel step {stepId}.", log.ToString(), StringComparison.Ordinal);
            Assert.Single(await Bed.StepsAsync(cluster));
        }
        finally
        {
            File.WriteAllText(release, "");
        }
    }

    // A step that says it started (file `mine`) and ends once the other has too (file `theirs`), or fails after 30 s.
    private static string Rendezvous(string mine, string theirs) =>
        $"import os, sys, time\nopen({JsonSerializer.Serialize(mine)}, 'w').write('up')\n" +
        $"deadline = time.time() + 30\nwhile not os.path.exists({JsonSerializer.Serialize(theirs)}):\n" +
        "    if time.time() > deadline:\n        sys.exit('the other step never ran alongside')\n    time.sleep(0.05)\nprint('met')\n";

    // Verification asked for with no ResourceManager to ask: refused before anything is added.
    [Fact]
    public async Task VerifyInYarn_WithoutAYarnConnection_RefusedBeforeAnythingIsAdded()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("no_yarn", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        task.YarnConnectionId = "yarn_nowhere";

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(Bed.Context("no_yarn", new StringWriter()), Token));

        Assert.Contains("'yarn_nowhere' is not configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was added", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Bed.StepsAsync(cluster));
    }

    // By default EMR's state alone decides, and the log says so.
    [Fact]
    public async Task VerifyInNone_EmrStateDecides_NoYarnEvidence()
    {
        var cluster = await Bed.StartClusterAsync();
        var task = EmrBed.AddSteps("emr_only", cluster, EmrBed.Spark(Bed.Job("print('ok')\n")));
        task.VerifyIn = VerifyIn.None;
        var log = new StringWriter();

        await task.ExecuteAsync(Bed.Context("emr_only", log), Token);

        Assert.Contains("VerifyIn is None: EMR's step state decides", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("YARN: succeeded", log.ToString(), StringComparison.Ordinal);
        var evidence = Assert.Single(Assert.Single((await Bed.StepsHandleAsync("emr_only"))!.Steps).Evidence!);
        Assert.Equal(("EMR", "succeeded"), (evidence.Source, evidence.Verdict));
    }
}
