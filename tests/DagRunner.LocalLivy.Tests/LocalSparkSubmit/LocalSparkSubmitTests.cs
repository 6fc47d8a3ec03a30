using System.Globalization;
using System.Text.Json;
using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.LocalLivy.Tests.Sessions;

namespace DagRunner.LocalLivy.Tests.LocalSparkSubmit;

/// <summary>The spark-submit LocalLivy writes (<see cref="LocalLivyServer.SparkSubmitPath"/>), run as a
/// real process against a real server: what it prints, its exit code, and what YARN shows, which is
/// what a SparkSubmitOperator reads in production.</summary>
public sealed class LocalSparkSubmitTests(SharedLivyServer shared) : IClassFixture<SharedLivyServer>
{
    private const string Hello = "print('hello from the driver', flush=True)\n";
    private const string ExitThree = "import sys\nprint('giving up', flush=True)\nsys.exit(3)\n";

    // Prints its first line, then waits for the file named by its first argument, prints again and
    // exits with the code in its second argument: the test decides when the app ends, and how.
    private const string Gated =
        "import os, sys, time\n" +
        "print('first', flush=True)\n" +
        "deadline = time.time() + 60\n" +
        "while not os.path.exists(sys.argv[1]) and time.time() < deadline:\n" +
        "    time.sleep(0.02)\n" +
        "print('second', flush=True)\n" +
        "sys.exit(int(sys.argv[2]))\n";

    private LivyTestServer Livy => shared.Livy;

    private string Script => Livy.Server.SparkSubmitPath;

    [Fact]
    public async Task ClusterMode_AppSucceeds_ExitZero_YarnFinishedSucceededWithNameAndTag()
    {
        var job = NewJob(Hello);
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl,
            ["--master", "yarn", "--deploy-mode", "cluster", "--name", "nightly-report", "--conf", "spark.yarn.tags=DagRun-42,Team-X", job]);

        Assert.True(await run.WaitForExitAsync() == 0, run.Output());
        var appId = run.AppId();
        Assert.Contains(run.StderrLines, l => l.EndsWith(" INFO Client: Submitted application " + appId, StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.EndsWith($" INFO Client: Application report for {appId} (state: FINISHED)", StringComparison.Ordinal));
        Assert.Contains("\t final status: SUCCEEDED", run.StderrLines);
        Assert.DoesNotContain("hello from the driver", run.Output()); // cluster mode: the driver's output stays in YARN

        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal(("FINISHED", "SUCCEEDED"), ((string?)app["state"], (string?)app["finalStatus"]));
        Assert.Equal("nightly-report", (string?)app["name"]);
        var tags = ((string)app["applicationTags"]!).Split(',');
        Assert.Contains("dagrun-42", tags);
        Assert.Contains("team-x", tags);
    }

    [Fact]
    public async Task ClusterMode_AppExitsThree_ExitOne_SparkExceptionPrinted_YarnFailed()
    {
        var job = NewJob(ExitThree);
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl, ["--master", "yarn", "--deploy-mode", "cluster", job]);

        Assert.True(await run.WaitForExitAsync() == 1, run.Output());
        var appId = run.AppId();
        Assert.Contains($"Exception in thread \"main\" org.apache.spark.SparkException: Application {appId} finished with failed status", run.StderrLines);
        Assert.Contains("\t final status: FAILED", run.StderrLines);
        Assert.Contains("\t diagnostics: User application exited with status 3", run.StderrLines);
        var app = await Livy.YarnAppAsync(appId);
        Assert.Equal(("FINISHED", "FAILED"), ((string?)app["state"], (string?)app["finalStatus"]));
        Assert.Equal(Path.GetFileName(job), (string?)app["name"]); // no --name: the file's name
    }

    [Fact]
    public async Task ClusterMode_WaitAppCompletionFalse_ExitsZeroOnceSubmitted_AppLaterFailsInYarn()
    {
        var job = NewJob(Gated);
        var release = Livy.Jobs[$"release-{Guid.NewGuid():N}"];
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl,
            ["--deploy-mode", "cluster", "--conf", "spark.yarn.submit.waitAppCompletion=false", job, release, "3"]);

        Assert.True(await run.WaitForExitAsync() == 0, run.Output());
        var appId = run.AppId();
        // The app cannot end before the release file exists: spark-submit returned while it ran.
        Assert.Contains((string?)(await Livy.YarnAppAsync(appId))["state"], new[] { "ACCEPTED", "RUNNING" });

        await File.WriteAllTextAsync(release, "", TestContext.Current.CancellationToken);
        var app = (await Livy.WaitForYarnStateAsync(appId, "FINISHED"))["app"]!;
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
    }

    [Fact]
    public async Task ClusterMode_QuirkConf_ExitsZero_WhileYarnShowsFailed()
    {
        var job = NewJob(ExitThree);
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl,
            ["--deploy-mode", "cluster", "--conf", LocalLivyOptions.ClusterModeQuirkConfKey + "=true", job]);

        Assert.True(await run.WaitForExitAsync() == 0, run.Output());
        var app = await Livy.YarnAppAsync(run.AppId());
        Assert.Equal(("FINISHED", "FAILED"), ((string?)app["state"], (string?)app["finalStatus"]));
        Assert.DoesNotContain("SparkException", run.Output());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 1)]
    public async Task ClientMode_StreamsDriverOutputAsItComes_ExitCodeFollowsOutcome(int appExitCode, int expected)
    {
        var job = NewJob(Gated);
        var release = Livy.Jobs[$"release-{Guid.NewGuid():N}"];
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl,
            ["--master", "yarn", "--deploy-mode", "client", job, release, appExitCode.ToString(CultureInfo.InvariantCulture)]);

        // "first" arrives while the app still waits for its release: streamed, not printed at the end.
        await run.WaitForLineAsync(run.Stdout, "first");
        Assert.Equal("RUNNING", (string?)(await Livy.YarnAppAsync(run.AppId()))["state"]);
        await File.WriteAllTextAsync(release, "", TestContext.Current.CancellationToken);

        Assert.True(await run.WaitForExitAsync() == expected, run.Output());
        Assert.Equal(["first", "second"], run.StdoutLines); // each line once, nothing else on stdout
        var app = await Livy.YarnAppAsync(run.AppId());
        Assert.Equal(expected == 0 ? "SUCCEEDED" : "FAILED", (string?)app["finalStatus"]);
    }

    [Fact]
    public async Task Arguments_SpacesQuotesDollarsOptionsAndEmpty_ReachTheAppUnchanged()
    {
        var job = NewJob(BatchKit.ArgvScript);
        string[] appArgs = ["two words", "it's", "say \"hi\"", "$HOME", "--weird", "", "--conf", "a=b=c", "--name", "x", "ünï"];
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl,
            ["--deploy-mode=client", "--conf", "spark.executorEnv.X=1=2", "local:///" + Path.GetFileName(job), .. appArgs]);

        Assert.True(await run.WaitForExitAsync() == 0, run.Output());
        var line = Assert.Single(run.StdoutLines, l => l.StartsWith("ARGV ", StringComparison.Ordinal));
        Assert.Equal(appArgs, JsonSerializer.Deserialize<string[]>(line["ARGV ".Length..]));
    }

    [Fact]
    public async Task ClientMode_Sigterm_DeletesTheBatch_YarnKilled_NoProcessOfTheAppLeft()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Sends SIGTERM and reads /proc.");
        var job = NewJob(BatchKit.SleepScript);
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl, ["--deploy-mode", "client", job]);
        await run.WaitForLineAsync(run.Stdout, "pid ");
        var pid = int.Parse(run.StdoutLines.First(l => l.StartsWith("pid ", StringComparison.Ordinal))["pid ".Length..], CultureInfo.InvariantCulture);

        await run.SignalAsync("-TERM");

        Assert.True(await run.WaitForExitAsync() == 143, run.Output());
        var app = await Livy.YarnAppAsync(run.AppId());
        Assert.Equal(("KILLED", "KILLED"), ((string?)app["state"], (string?)app["finalStatus"]));
        Assert.False(BatchKit.IsRunning(pid), $"the app's process {pid} outlived spark-submit");
        Assert.Empty(ProcessTable.Running(Path.GetFileName(job)));
    }

    [Fact]
    public async Task ClusterMode_Sigterm_ExitsWithoutKillingTheApp()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Sends SIGTERM.");
        var job = NewJob(BatchKit.SleepScript);
        using var run = SparkSubmitProcess.Start(Script, Livy.Server.BaseUrl, ["--deploy-mode", "cluster", job]);
        await run.WaitForLineAsync(run.Stderr, "(state: RUNNING)");

        await run.SignalAsync("-TERM");

        Assert.True(await run.WaitForExitAsync() == 143, run.Output());
        var appId = run.AppId();
        Assert.Equal("RUNNING", (string?)(await Livy.YarnAppAsync(appId))["state"]);
        var kill = await Livy.Http.PutAsync($"/ws/v1/cluster/apps/{appId}/state?user.name=tests",
            new StringContent("""{"state":"KILLED"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.True(kill.IsSuccessStatusCode, $"killing {appId} answered {(int)kill.StatusCode}");
    }

    [Fact]
    public async Task NoLivyUrl_ExitOne_SaysWhatIsMissing_RunAsTheWrittenExecutable()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs the file through its shebang.");
        Assert.StartsWith("#!/usr/bin/env python3\n", await File.ReadAllTextAsync(Script, TestContext.Current.CancellationToken));
        Assert.Equal(Path.Join(Livy.Server.StateFolder, "bin", "spark-submit"), Script);

        var code = await SparkSubmitProcess.RunAsync(Script, livyUrl: null, ["--deploy-mode", "cluster", NewJob(Hello)], run =>
            Assert.Contains(
                "spark-submit (DagRunner local): DAGRUNNER_LOCAL_LIVY is not set; it names the LocalLivy this script submits to, e.g. http://127.0.0.1:8998/",
                run.StderrLines),
            direct: true);

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task UnknownOption_ExitOne_NamesTheOption()
    {
        var code = await SparkSubmitProcess.RunAsync(Script, Livy.Server.BaseUrl, ["--master", "yarn", "--frobnicate", "7", NewJob(Hello)], run =>
            Assert.Contains(run.StderrLines, l => l.Contains("Unrecognized option: --frobnicate", StringComparison.Ordinal)));

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task MissingApplication_ExitOne()
    {
        var code = await SparkSubmitProcess.RunAsync(Script, Livy.Server.BaseUrl, ["--master", "yarn", "--deploy-mode", "cluster"], run =>
            Assert.Contains(run.StderrLines, l => l.Contains("Must specify a primary resource", StringComparison.Ordinal)));

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task UnreachableLivy_ExitOne_NamesTheUrl()
    {
        var code = await SparkSubmitProcess.RunAsync(Script, new Uri("http://127.0.0.1:1/"), [NewJob(Hello)], run =>
            Assert.Contains(run.StderrLines, l => l.Contains("cannot reach LocalLivy at http://127.0.0.1:1/", StringComparison.Ordinal)));

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task ApplicationOutsideTheJobsRoot_ExitOne_WithLivysRefusal()
    {
        using var elsewhere = new DagRunner.Testing.TempFolder("spark-submit-outside");
        var job = elsewhere.Write("outside.py", Hello);

        var code = await SparkSubmitProcess.RunAsync(Script, Livy.Server.BaseUrl, ["--deploy-mode", "cluster", job], run =>
            Assert.Contains(run.StderrLines, l => l.Contains("refused the batch", StringComparison.Ordinal) && l.Contains(job + " cannot be added to user sessions", StringComparison.Ordinal)));

        Assert.Equal(1, code);
    }

    // A job file of its own in the jobs root, by absolute path (as a local spark-submit is given it).
    private string NewJob(string script) => Livy.Jobs.Write($"job_{Guid.NewGuid():N}.py", script);
}
