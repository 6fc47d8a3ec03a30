using System.Text.Json.Nodes;
using DagRunner.LocalLivy.Tests.Batches;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>Spark steps run for real (python3, as LocalLivy runs a batch): their state follows
/// their app, and the app shows in the YARN and Spark views with the step's tags.</summary>
public sealed class EmrStepTests
{
    [Fact]
    public async Task SparkStep_Succeeds_CompletedAndAppSucceededInYarnWithTag()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        var step = livy.SparkStep(BatchKit.ArgvScript, "emr-ok-tag", "word count", "--input", "a b");

        var ids = await livy.AddStepsAsync(cluster, step);

        Assert.StartsWith("s-", Assert.Single(ids), StringComparison.Ordinal);
        var done = await livy.WaitForStepAsync(cluster, ids[0], "COMPLETED", "FAILED", "CANCELLED");
        Assert.Equal("COMPLETED", (string?)done["Status"]!["State"]);
        Assert.Equal("word count", (string?)done["Name"]);
        Assert.Equal("command-runner.jar", (string?)done["Config"]!["Jar"]);
        Assert.Equal("spark-submit", (string?)done["Config"]!["Args"]![0]);
        Assert.Null(done["Status"]!["FailureDetails"]);
        var timeline = done["Status"]!["Timeline"]!;
        Assert.True((double)timeline["StartDateTime"]! >= (double)timeline["CreationDateTime"]!);
        Assert.True((double)timeline["EndDateTime"]! >= (double)timeline["StartDateTime"]!);

        var app = (await livy.YarnAppsAsync("emr-ok-tag")).Single()!;
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.Equal("SUCCEEDED", (string?)app["finalStatus"]);
        Assert.Equal("emr-ok-tag", (string?)app["applicationTags"]);
        Assert.Equal("hadoop", (string?)app["user"]);
        var appId = (string)app["id"]!;
        var spark = await livy.GetJsonAsync($"/api/v1/applications/{appId}");
        Assert.Equal(appId, (string?)spark["id"]);
        var log = await File.ReadAllTextAsync(Path.Join(livy.Server.StateFolder, "apps", appId, "driver.log"), BatchKit.Token);
        Assert.Contains("""ARGV ["--input", "a b"]""", log, StringComparison.Ordinal);

        var cl = await livy.WaitForClusterAsync(cluster, "WAITING");
        Assert.Equal("WAITING", (string?)cl["Status"]!["State"]);
    }

    [Fact]
    public async Task SparkStep_AppFails_FailedWithFailureDetails()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();

        var ids = await livy.AddStepsAsync(cluster, livy.SparkStep("raise ValueError('boom in the job')\n", "emr-fail-tag"));

        var failed = await livy.WaitForStepAsync(cluster, ids[0], "COMPLETED", "FAILED", "CANCELLED");
        Assert.Equal("FAILED", (string?)failed["Status"]!["State"]);
        var details = failed["Status"]!["FailureDetails"]!;
        Assert.Contains("ValueError: boom in the job", (string)details["Message"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)details["Reason"]));
        Assert.True(File.Exists((string)details["LogFile"]!), $"LogFile {details["LogFile"]} does not exist");
        var app = (await livy.YarnAppsAsync("emr-fail-tag")).Single()!;
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        // CONTINUE: the cluster waits for more steps.
        Assert.Equal("WAITING", (string?)(await livy.WaitForClusterAsync(cluster, "WAITING"))["Status"]!["State"]);
    }

    [Fact]
    public async Task StepOfOtherJar_FailedSayingWhy()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        var step = new JsonObject
        {
            ["Name"] = "custom jar",
            ["HadoopJarStep"] = new JsonObject { ["Jar"] = "s3://bucket/job.jar", ["MainClass"] = "com.example.Main" },
        };

        var ids = await livy.AddStepsAsync(cluster, step);

        var failed = await livy.WaitForStepAsync(cluster, ids[0], "COMPLETED", "FAILED");
        Assert.Equal("FAILED", (string?)failed["Status"]!["State"]);
        Assert.Contains("command-runner.jar", (string)failed["Status"]!["FailureDetails"]!["Message"]!, StringComparison.Ordinal);
        Assert.Equal("com.example.Main", (string?)failed["Config"]!["MainClass"]);
    }

    [Fact]
    public async Task StepConcurrencyOne_SecondStepPendingWhileFirstRuns_ThenBothComplete()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        var release = Path.Join(livy.Jobs.Path, "release-" + Guid.NewGuid().ToString("N"));

        var ids = await livy.AddStepsAsync(cluster,
            livy.SparkStep(BatchKit.ReleaseScript, "emr-first", "first", release),
            livy.SparkStep("pass\n", "emr-second", "second"));

        await livy.WaitForYarnAppAsync("emr-first", "RUNNING");
        Assert.Equal("RUNNING", (string?)(await livy.DescribeStepAsync(cluster, ids[0]))["Status"]!["State"]);
        Assert.Equal("PENDING", (string?)(await livy.DescribeStepAsync(cluster, ids[1]))["Status"]!["State"]);
        Assert.Empty(await livy.YarnAppsAsync("emr-second"));
        var pending = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster, ["StepStates"] = new JsonArray("PENDING") });
        Assert.Equal(ids[1], (string?)Assert.Single(pending["Steps"]!.AsArray())!["Id"]);
        Assert.Equal("RUNNING", (string?)(await livy.WaitForClusterAsync(cluster, "RUNNING"))["Status"]!["State"]);

        await File.WriteAllTextAsync(release, "", BatchKit.Token);

        await livy.WaitForStepAsync(cluster, ids[1], "COMPLETED");
        Assert.Equal("COMPLETED", (string?)(await livy.DescribeStepAsync(cluster, ids[0]))["Status"]!["State"]);
        var all = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster });
        // Newest first, as EMR lists them.
        Assert.Equal([ids[1], ids[0]], all["Steps"]!.AsArray().Select(s => (string)s!["Id"]!));
    }

    [Fact]
    public async Task CancelSteps_RunningStep_CancelledAndAppKilled()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        var ids = await livy.AddStepsAsync(cluster, livy.SparkStep(BatchKit.SleepScript, "emr-cancel"));
        await livy.WaitForYarnAppAsync("emr-cancel", "RUNNING");

        var answer = await livy.EmrOkAsync("CancelSteps", new JsonObject
        {
            ["ClusterId"] = cluster,
            ["StepIds"] = new JsonArray(ids[0], "s-NOSUCHSTEP"),
            ["StepCancellationOption"] = "SEND_INTERRUPT",
        });

        var infos = answer["CancelStepsInfoList"]!.AsArray();
        Assert.Equal("SUBMITTED", (string?)infos[0]!["Status"]);
        Assert.Equal("FAILED", (string?)infos[1]!["Status"]);
        var cancelled = await livy.WaitForStepAsync(cluster, ids[0], "CANCELLED", "COMPLETED", "FAILED");
        Assert.Equal("CANCELLED", (string?)cancelled["Status"]!["State"]);
        Assert.Equal("KILLED", (string?)(await livy.YarnAppsAsync("emr-cancel")).Single()!["state"]);

        var again = await livy.EmrOkAsync("CancelSteps", new JsonObject { ["ClusterId"] = cluster, ["StepIds"] = new JsonArray(ids[0]) });
        Assert.Equal("FAILED", (string?)again["CancelStepsInfoList"]![0]!["Status"]);
    }
}
