using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>EMR faults on demand (<see cref="LocalLivyFaults.Emr"/>): counted, so every run reads the same.</summary>
public sealed class EmrFaultTests
{
    [Fact]
    public async Task Throttle_NextTwoAddJobFlowSteps_ThrottlingExceptionThenServed_NoStepAddedByRefusals()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        livy.Server.Faults.Emr.Throttle("AddJobFlowSteps", times: 2);
        var body = new JsonObject { ["JobFlowId"] = cluster, ["Steps"] = new JsonArray(livy.SparkStep("pass\n", "emr-throttle")) };

        EmrKit.AssertError(await livy.EmrAsync("AddJobFlowSteps", body.DeepClone()), 400, "ThrottlingException");
        EmrKit.AssertError(await livy.EmrAsync("AddJobFlowSteps", body.DeepClone()), 400, "ThrottlingException");
        // Other operations are not throttled.
        await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster });
        var added = await livy.EmrOkAsync("AddJobFlowSteps", body.DeepClone());

        Assert.Single(added["StepIds"]!.AsArray());
        var steps = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster });
        Assert.Single(steps["Steps"]!.AsArray());
    }

    [Fact]
    public async Task FailWithServerError_Answers500InternalServerError()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Server.Faults.Emr.FailWithServerError("DescribeCluster");

        EmrKit.AssertError(await livy.EmrAsync("DescribeCluster", new JsonObject { ["ClusterId"] = "j-ANY" }), 500, "InternalServerError");
        EmrKit.AssertError(await livy.EmrAsync("DescribeCluster", new JsonObject { ["ClusterId"] = "j-ANY" }), 400, "InvalidRequestException");
    }

    [Fact]
    public async Task DropAnswer_AddJobFlowSteps_ClientLosesAnswer_StepExistsAndRuns()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync();
        livy.Server.Faults.Emr.DropAnswer("AddJobFlowSteps");

        var body = new JsonObject { ["JobFlowId"] = cluster, ["Steps"] = new JsonArray(livy.SparkStep("pass\n", "emr-dropped", "lost answer")) };
        await Assert.ThrowsAsync<HttpRequestException>(() => livy.EmrAsync("AddJobFlowSteps", body));

        var steps = (await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster }))["Steps"]!.AsArray();
        var step = Assert.Single(steps)!;
        Assert.Equal("lost answer", (string?)step["Name"]);
        await livy.WaitForStepAsync(cluster, (string)step["Id"]!, "COMPLETED");
    }

    [Fact]
    public async Task AdminFaultsEndpoint_AddsShowsAndClearsEmrFaults()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, set, _) = await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", """{"emr":{"throttle":{"ListSteps":1}}}""");

        Assert.Equal(200, status);
        Assert.Equal(1, (int)set!["emr"]!["throttle"]!["ListSteps"]!);
        EmrKit.AssertError(await livy.EmrAsync("ListSteps", new JsonObject { ["ClusterId"] = "j-ANY" }), 400, "ThrottlingException");
        EmrKit.AssertError(await livy.EmrAsync("ListSteps", new JsonObject { ["ClusterId"] = "j-ANY" }), 400, "InvalidRequestException");
        Assert.Empty((await livy.GetJsonAsync("/local-livy/faults"))["emr"]!.AsObject());

        await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", """{"emr":{"serverError":{"DescribeCluster":3}}}""");
        await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", """{"emr":{}}""");
        EmrKit.AssertError(await livy.EmrAsync("DescribeCluster", new JsonObject { ["ClusterId"] = "j-ANY" }), 400, "InvalidRequestException");
    }
}
