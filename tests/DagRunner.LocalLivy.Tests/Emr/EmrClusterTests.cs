using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>A cluster's life: RunJobFlow, steps, TerminateJobFlows, and EMR's auto-termination.</summary>
public sealed class EmrClusterTests
{
    [Fact]
    public async Task RunJobFlow_StepThenTerminate_TerminatedAndClosedToSteps()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var created = await livy.EmrOkAsync("RunJobFlow", new JsonObject
        {
            ["Name"] = "nightly",
            ["LogUri"] = "s3://logs/emr/",
            ["ReleaseLabel"] = "emr-7.5.0",
            ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true },
            ["StepConcurrencyLevel"] = 2,
        });
        var id = (string)created["JobFlowId"]!;
        Assert.Matches("^j-[A-Z0-9]{13}$", id);
        Assert.EndsWith("cluster/" + id, (string)created["ClusterArn"]!, StringComparison.Ordinal);

        var waiting = await livy.WaitForClusterAsync(id, "WAITING");
        Assert.Equal("nightly", (string?)waiting["Name"]);
        Assert.Equal("s3://logs/emr/", (string?)waiting["LogUri"]);
        Assert.Equal("emr-7.5.0", (string?)waiting["ReleaseLabel"]);
        Assert.Equal(2, (int)waiting["StepConcurrencyLevel"]!);
        Assert.NotNull(waiting["Status"]!["Timeline"]!["ReadyDateTime"]);

        var steps = await livy.AddStepsAsync(id, livy.SparkStep("print('hello')\n", "emr-life"));
        await livy.WaitForStepAsync(id, steps[0], "COMPLETED");

        await livy.EmrOkAsync("TerminateJobFlows", new JsonObject { ["JobFlowIds"] = new JsonArray(id) });

        var terminated = await livy.WaitForClusterAsync(id, "TERMINATED", "TERMINATED_WITH_ERRORS");
        Assert.Equal("TERMINATED", (string?)terminated["Status"]!["State"]);
        Assert.Equal("USER_REQUEST", (string?)terminated["Status"]!["StateChangeReason"]!["Code"]);
        Assert.NotNull(terminated["Status"]!["Timeline"]!["EndDateTime"]);
        var late = await livy.EmrAsync("AddJobFlowSteps", new JsonObject { ["JobFlowId"] = id, ["Steps"] = new JsonArray(livy.SparkStep("pass\n", "late")) });
        EmrKit.AssertError(late, 400, "ValidationException");
    }

    [Fact]
    public async Task RunJobFlowWithStepsNotKeptAlive_RunsThemThenTerminatesItself()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var created = await livy.EmrOkAsync("RunJobFlow", new JsonObject
        {
            ["Name"] = "transient",
            ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = false },
            ["Steps"] = new JsonArray(livy.SparkStep("print('once')\n", "emr-transient")),
        });

        var id = (string)created["JobFlowId"]!;
        var terminated = await livy.WaitForClusterAsync(id, "TERMINATED", "TERMINATED_WITH_ERRORS");
        Assert.Equal("ALL_STEPS_COMPLETED", (string?)terminated["Status"]!["StateChangeReason"]!["Code"]);
        var steps = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = id });
        Assert.Equal("COMPLETED", (string?)Assert.Single(steps["Steps"]!.AsArray())!["Status"]!["State"]);
        Assert.Equal("SUCCEEDED", (string?)(await livy.YarnAppsAsync("emr-transient")).Single()!["finalStatus"]);
    }

    [Fact]
    public async Task TerminateJobFlows_WhileStepRuns_StepCancelledAppKilled()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.StartClusterAsync();
        var steps = await livy.AddStepsAsync(id, livy.SparkStep(Batches.BatchKit.SleepScript, "emr-terminate"));
        await livy.WaitForYarnAppAsync("emr-terminate", "RUNNING");

        await livy.EmrOkAsync("TerminateJobFlows", new JsonObject { ["JobFlowIds"] = new JsonArray(id) });

        await livy.WaitForClusterAsync(id, "TERMINATED");
        Assert.Equal("CANCELLED", (string?)(await livy.DescribeStepAsync(id, steps[0]))["Status"]!["State"]);
        Assert.Equal("KILLED", (string?)(await livy.YarnAppsAsync("emr-terminate")).Single()!["state"]);
    }

    [Fact]
    public async Task StepConcurrencyTwo_TwoStepsRunSideBySide()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.StartClusterAsync(stepConcurrency: 2);
        var release = Path.Join(livy.Jobs.Path, "release-" + Guid.NewGuid().ToString("N"));

        var steps = await livy.AddStepsAsync(id,
            livy.SparkStep(Batches.BatchKit.ReleaseScript, "emr-side-a", "a", release),
            livy.SparkStep(Batches.BatchKit.ReleaseScript, "emr-side-b", "b", release));

        // Each waits for the release file, so both are running at once or the test times out.
        await livy.WaitForYarnAppAsync("emr-side-a", "RUNNING");
        await livy.WaitForYarnAppAsync("emr-side-b", "RUNNING");
        await File.WriteAllTextAsync(release, "", Batches.BatchKit.Token);
        await livy.WaitForStepAsync(id, steps[0], "COMPLETED");
        await livy.WaitForStepAsync(id, steps[1], "COMPLETED");

        var terminating = livy.SparkStep("pass\n", "never-run");
        terminating["ActionOnFailure"] = "TERMINATE_CLUSTER";
        var refused = await livy.EmrAsync("AddJobFlowSteps", new JsonObject { ["JobFlowId"] = id, ["Steps"] = new JsonArray(terminating) });
        EmrKit.AssertError(refused, 400, "ValidationException");
    }

    [Fact]
    public async Task FailedStepWithTerminateCluster_TerminatedWithErrors_PendingStepCancelled()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.StartClusterAsync();
        var failing = livy.SparkStep("raise SystemExit(3)\n", "emr-fatal");
        failing["ActionOnFailure"] = "TERMINATE_CLUSTER";

        var steps = await livy.AddStepsAsync(id, failing, livy.SparkStep("pass\n", "emr-after-fatal"));

        var cluster = await livy.WaitForClusterAsync(id, "TERMINATED", "TERMINATED_WITH_ERRORS");
        Assert.Equal("TERMINATED_WITH_ERRORS", (string?)cluster["Status"]!["State"]);
        Assert.Equal("STEP_FAILURE", (string?)cluster["Status"]!["StateChangeReason"]!["Code"]);
        Assert.Equal("FAILED", (string?)(await livy.DescribeStepAsync(id, steps[0]))["Status"]!["State"]);
        Assert.Equal("CANCELLED", (string?)(await livy.DescribeStepAsync(id, steps[1]))["Status"]!["State"]);
        Assert.Empty(await livy.YarnAppsAsync("emr-after-fatal"));
    }
}
