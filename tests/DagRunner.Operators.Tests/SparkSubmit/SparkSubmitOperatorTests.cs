using System.Text.Json;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.SparkSubmit;

/// <summary>SparkSubmitOperator against a real spark-submit process (LocalLivy's entry point) and the YARN
/// API it registers apps in: success, exit codes that lie, timeouts, restarts, arguments and secrets.</summary>
public sealed class SparkSubmitOperatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SparkSubmitOperator Task(Livy.LivyTestbed bed, string file, string script, string? deployMode = "cluster")
    {
        bed.Jobs.Write(file, script);
        return new SparkSubmitOperator("submit") { Application = Path.Join(bed.Jobs.Path, file), DeployMode = deployMode, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(10) };
    }

    [Fact]
    public async Task ClusterMode_Succeeds_AppRecordedAndVerifiedInYarn()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "ok.py", "print('hello from the driver')\n");
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(bed.Context("submit", log), Token));

        var appId = Assert.IsType<string>(output["app_id"]);
        Assert.Matches(@"^application_\d+_\d+$", appId);
        var app = Assert.Single(await bed.AppsTaggedAsync((string)output["yarn_tag"]!));
        Assert.Equal((appId, "FINISHED", "SUCCEEDED"), (app.Id, app.State, app.FinalStatus));
        Assert.Equal(0, output["exit_code"]);
        var text = log.ToString();
        Assert.Contains("\n  --deploy-mode cluster \\\n", text, StringComparison.Ordinal);
        Assert.Contains("  YARN: succeeded (FINISHED/SUCCEEDED", text, StringComparison.Ordinal);
        var handle = await bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "submit", 1).LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);
        Assert.Equal((appId, "succeeded"), (handle!.AppId, handle.Verdict));
    }

    [Theory]
    [InlineData("spark.yarn.submit.waitAppCompletion", "false")] // spark-submit returns once YARN accepted the app
    [InlineData("livy.local.cluster-mode-quirk", "true")]        // spark-submit claims success whatever the app did
    public async Task FailingApp_SparkSubmitExitsZero_YarnSaysFailed(string key, string value)
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "fails.py", "import sys\nprint('about to fail')\nsys.exit(3)\n");
        task.Conf[key] = value;
        var log = new StringWriter();

        var failure = await Assert.ThrowsAsync<SparkSubmitFailedException>(() => task.ExecuteAsync(bed.Context("submit", log), Token));

        Assert.Contains("spark-submit exited with code 0.", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("the sources disagree", failure.Message, StringComparison.Ordinal);
        Assert.Contains("YARN: FINISHED/FAILED", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientMode_DriverOutputStreamed_ExitCodeAndYarnAgreeOnFailure()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "client-fails.py", "import sys\nprint('driver says hi', flush=True)\nsys.exit(2)\n", deployMode: "client");
        var log = new StringWriter();

        var failure = await Assert.ThrowsAsync<SparkSubmitFailedException>(() => task.ExecuteAsync(bed.Context("submit", log), Token));

        Assert.Contains("driver says hi", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("every source says it failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("spark-submit: exit code 1", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cluster", "[dagrunner] spark-submit submitted app")]
    [InlineData("client", "driver started")]
    public async Task Cancelled_SparkSubmitAndAppAreKilled(string deployMode, string trigger)
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var file = $"slow-{Guid.NewGuid():N}.py";
        var task = Task(bed, file, "import time\nprint('driver started', flush=True)\ntime.sleep(600)\n", deployMode);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine(trigger, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(bed.Context("submit", log), cancel.Token));

        var handle = await bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "submit", 1).LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);
        var app = Assert.Single(await bed.AppsTaggedAsync(handle!.Tag));
        Assert.Equal("KILLED", app.State);
        Assert.False(SparkSubmitBed.ProcessRunning(file), $"a process running {file} was left behind:\n{log}");
        Assert.False(Directory.Exists($"/proc/{handle.Pid}") && File.ReadAllText($"/proc/{handle.Pid}/cmdline").Contains(handle.Tag, StringComparison.Ordinal), "spark-submit was left running");
    }

    [Fact]
    public async Task RunnerStopsGracefully_NextRunnerFollowsTheSameApp_SubmittedOnce()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var release = Path.Join(bed.Jobs.Path, $"release-{Guid.NewGuid():N}");
        // The app waits for a file the test writes once the first runner is gone: no guessed duration.
        var task = Task(bed, "waits.py", $"import os, time\nwhile not os.path.exists({JsonSerializer.Serialize(release)}):\n    time.sleep(0.05)\nprint('released')\n");
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = bed.Context("submit", new CancelOnLine("[dagrunner] spark-submit submitted app", detach));
        var stopping = new TaskContext
        {
            DagId = first.DagId, TaskId = first.TaskId, RunId = first.RunId, LogicalDate = first.LogicalDate, Log = first.Log,
            Services = first.Services, Checkpoint = first.Checkpoint, DetachToken = detach.Token,
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(stopping, detach.Token));
        Assert.Contains("left running for the next runner", first.Log.ToString(), StringComparison.Ordinal);
        File.WriteAllText(release, "");
        var log = new StringWriter();
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(bed.Context("submit", log), Token));

        Assert.Contains("in YARN instead of submitting again", log.ToString(), StringComparison.Ordinal);
        var app = Assert.Single(await bed.AppsTaggedAsync((string)output["yarn_tag"]!));
        Assert.Equal((output["app_id"], "SUCCEEDED"), (app.Id, app.FinalStatus));
    }

    [Fact]
    public async Task PreviousTrySubmissionNeverWeighed_NextTryFollowsIt()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "quick.py", "print('done')\n");
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = bed.Context("submit", new CancelOnLine("[dagrunner] spark-submit submitted app", detach));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(new TaskContext
        {
            DagId = first.DagId, TaskId = first.TaskId, RunId = first.RunId, LogicalDate = first.LogicalDate, Log = first.Log,
            Services = first.Services, Checkpoint = first.Checkpoint, DetachToken = detach.Token,
        }, detach.Token));
        var firstHandle = await first.Checkpoint.LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);

        var log = new StringWriter();
        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(bed.Context("submit", log, tryNumber: 2), Token));

        Assert.Equal(firstHandle!.AppId, output["app_id"]);
        Assert.Contains("The previous try ran spark-submit", log.ToString(), StringComparison.Ordinal);
        Assert.Single(await bed.AppsTaggedAsync(firstHandle.Tag));
    }

    [Fact]
    public async Task Arguments_WithSpacesQuotesAndDollar_ReachTheAppUnchanged()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var result = Path.Join(bed.Jobs.Path, "argv.json");
        var task = Task(bed, "argv.py", "import json, sys\nopen(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))\n", deployMode: "client");
        string[] args = ["two words", "it's \"quoted\"", "$HOME and `date` and $(id)", "--weird", "", "back\\slash;|&"];
        task.Args.Add(result);
        foreach (var arg in args)
            task.Args.Add(arg);

        await task.ExecuteAsync(bed.Context("submit", new StringWriter()), Token);

        Assert.Equal(args, JsonSerializer.Deserialize<string[]>(File.ReadAllText(result)));
    }

    [Fact]
    public async Task SecretConfAndEnvironment_MaskedInTheLog()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "secret.py", "print('ok')\n");
        task.Conf["spark.hadoop.fs.s3a.secret.key"] = "s3cr3t-conf-value";
        task.Env["MY_API_TOKEN"] = "s3cr3t-env-value";
        var log = new StringWriter();

        await task.ExecuteAsync(bed.Context("submit", log), Token);

        var text = log.ToString();
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
        Assert.Contains("--conf 'spark.hadoop.fs.s3a.secret.key=***'", text, StringComparison.Ordinal);
        Assert.Contains("MY_API_TOKEN='***'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SparkSubmitMissing_ClearError()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        bed.Connections["spark_submit_default"] = "spark-submit://yarn?spark-submit=/nowhere/spark-submit";
        var task = Task(bed, "never.py", "print('never')\n");

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("submit", new StringWriter()), Token));

        Assert.Contains("spark-submit could not be started as '/nowhere/spark-submit'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SparkSubmitHangsAfterItsAppEnded_NotWaitedForPastVerifyTimeout_OutcomeFromYarn()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var marker = $"hangs-{Guid.NewGuid():N}";
        // A spark-submit that submits, then never exits (as one whose SSH link went silent looks from here).
        var wrapper = bed.Jobs.Write("hanging-spark-submit", $"#!/bin/sh\n\"{bed.Server.SparkSubmitPath}\" \"$@\"\nexec python3 -c 'import time; time.sleep(600)' {marker}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        bed.Connections["spark_submit_default"] = $"spark-submit://yarn?spark-submit={Uri.EscapeDataString(wrapper)}&env.DAGRUNNER_LOCAL_LIVY={Uri.EscapeDataString(bed.Server.BaseUrl.ToString())}";
        var task = Task(bed, "quick-then-hang.py", "print('done')\n");
        task.VerifyTimeout = TimeSpan.FromSeconds(1);
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(bed.Context("submit", log), Token));

        Assert.Null(output["exit_code"]);
        Assert.Contains("had not ended 1 s after YARN showed app", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("  YARN: succeeded (FINISHED/SUCCEEDED", log.ToString(), StringComparison.Ordinal);
        Assert.False(SparkSubmitBed.ProcessRunning(marker), "the hanging spark-submit was left running");
    }

    [Fact]
    public async Task RestartedBeforeAnAppIdWasRead_AnEarlierSparkSubmitStillStarting_IsStoppedBeforeSubmitting()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var task = Task(bed, "after-restart.py", "print('ran once')\n");
        var context = bed.Context("submit", new StringWriter());
        var tag = DagRunner.Operators.Livy.Batch.BatchNaming.Tag(context);
        // What a runner killed while spark-submit was still resolving packages leaves: a handle without an app
        // id, and that spark-submit (here a stand-in holding the attempt's tag on its command line) still running.
        await context.Checkpoint.SaveAsync(SparkSubmitHandle.Kind, new SparkSubmitHandle(tag, "local " + Environment.MachineName), Token);
        using var earlier = System.Diagnostics.Process.Start("python3", ["-c", "import time; time.sleep(600)", "--conf", $"spark.yarn.tags={tag}"]);
        var log = new StringWriter();

        var output = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(await task.ExecuteAsync(bed.Context("submit", log), Token));

        Assert.Contains("Stopped the earlier spark-submit", log.ToString(), StringComparison.Ordinal);
        Assert.True(earlier.WaitForExit(TimeSpan.FromSeconds(10)), "the earlier spark-submit was left running");
        var app = Assert.Single(await bed.AppsTaggedAsync(tag));
        Assert.Equal((output["app_id"], "SUCCEEDED"), (app.Id, app.FinalStatus));
    }

    [Fact]
    public async Task Cancelled_ASparkSubmitThatExitsOnSigtermButLeavesAChild_TheChildIsKilledToo()
    {
        await using var bed = await SparkSubmitBed.StartAsync();
        var marker = $"orphan-{Guid.NewGuid():N}";
        // Exits at once on SIGTERM, leaving a child that holds its output open: a driver it started, say.
        var wrapper = bed.Jobs.Write("leaves-a-child", $"#!/bin/sh\ntrap 'exit 143' TERM\npython3 -c 'import time; time.sleep(600)' {marker} &\n\"{bed.Server.SparkSubmitPath}\" \"$@\" &\nwait\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        bed.Connections["spark_submit_default"] = $"spark-submit://yarn?spark-submit={Uri.EscapeDataString(wrapper)}&env.DAGRUNNER_LOCAL_LIVY={Uri.EscapeDataString(bed.Server.BaseUrl.ToString())}";
        var task = Task(bed, $"slow-{Guid.NewGuid():N}.py", "import time\ntime.sleep(600)\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("[dagrunner] spark-submit submitted app", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(bed.Context("submit", log), cancel.Token));

        Assert.False(SparkSubmitBed.ProcessRunning(marker), $"spark-submit's child was left running:\n{log}");
        var handle = await bed.Checkpoints.For("d", "manual__2026-11-20T00:00:00+00:00", "submit", 1).LoadAsync<SparkSubmitHandle>(SparkSubmitHandle.Kind, Token);
        Assert.Equal("KILLED", Assert.Single(await bed.AppsTaggedAsync(handle!.Tag)).State);
    }
}
