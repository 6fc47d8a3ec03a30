using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>EMR's JSON 1.1 protocol on <c>POST /</c>: signing, operation routing and the error shape.
/// One server for the class: nothing here runs a job.</summary>
public sealed class EmrProtocolTests : IAsyncLifetime
{
    private LivyTestServer _livy = null!;

    public async ValueTask InitializeAsync() => _livy = await LivyTestServer.StartAsync();

    public ValueTask DisposeAsync() => _livy.DisposeAsync();

    [Fact]
    public async Task UnsignedRequest_MissingAuthenticationToken_NothingCreated()
    {
        var body = new JsonObject { ["Name"] = "unsigned", ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true } };
        EmrKit.AssertError(await _livy.SendAsync(EmrKit.Request("RunJobFlow", body, signed: false)), 403, "MissingAuthenticationTokenException");

        // Signed for another service: the form is wrong for EMR.
        EmrKit.AssertError(await _livy.SendAsync(EmrKit.Request("RunJobFlow", body, service: "s3")), 400, "IncompleteSignatureException");

        var noDate = EmrKit.Request("RunJobFlow", body);
        noDate.Headers.Remove("X-Amz-Date");
        EmrKit.AssertError(await _livy.SendAsync(noDate), 400, "IncompleteSignatureException");

        var badSignature = EmrKit.Request("RunJobFlow", body);
        var authorization = badSignature.Headers.GetValues("Authorization").Single();
        badSignature.Headers.Remove("Authorization");
        badSignature.Headers.TryAddWithoutValidation("Authorization", authorization[..^1]); // 63 hex digits
        EmrKit.AssertError(await _livy.SendAsync(badSignature), 400, "IncompleteSignatureException");

        // A header signed but not sent (a session token the client forgot to send) fails AWS's own check.
        var signedNotSent = EmrKit.Request("RunJobFlow", body);
        var signedHeaders = signedNotSent.Headers.GetValues("Authorization").Single().Replace("x-amz-target", "x-amz-security-token;x-amz-target", StringComparison.Ordinal);
        signedNotSent.Headers.Remove("Authorization");
        signedNotSent.Headers.TryAddWithoutValidation("Authorization", signedHeaders);
        EmrKit.AssertError(await _livy.SendAsync(signedNotSent), 403, "InvalidSignatureException");
    }

    [Fact]
    public async Task UnknownTarget_UnknownOperationException()
    {
        EmrKit.AssertError(await _livy.EmrAsync("DescribeEverything"), 400, "UnknownOperationException");

        var otherService = EmrKit.Request("ListSteps", new JsonObject());
        otherService.Headers.Remove("X-Amz-Target");
        otherService.Headers.Add("X-Amz-Target", "AWSGlue.GetJobRun");
        EmrKit.AssertError(await _livy.SendAsync(otherService), 400, "UnknownOperationException");
    }

    [Fact]
    public async Task RunJobFlowWithoutName_ValidationExceptionInAwsJsonShape()
    {
        var (status, body, response) = await _livy.EmrAsync("RunJobFlow", new JsonObject { ["ReleaseLabel"] = "emr-7.5.0" });

        EmrKit.AssertError((status, body, response), 400, "ValidationException");
        Assert.Equal(["__type", "message"], body.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("'name'", (string)body["message"]!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("x-amzn-RequestId").Single()));
    }

    [Fact]
    public async Task WrongMemberType_SerializationException()
    {
        var answer = await _livy.EmrAsync("RunJobFlow", new JsonObject { ["Name"] = "x", ["StepConcurrencyLevel"] = "many" });

        EmrKit.AssertError(answer, 400, "SerializationException");
    }

    [Fact]
    public async Task UnknownClusterOrStep_InvalidRequestException()
    {
        var unknownCluster = await _livy.EmrAsync("DescribeCluster", new JsonObject { ["ClusterId"] = "j-NOSUCHCLUSTER" });
        EmrKit.AssertError(unknownCluster, 400, "InvalidRequestException");
        Assert.Contains("j-NOSUCHCLUSTER", (string)unknownCluster.Body["message"]!, StringComparison.Ordinal);

        var cluster = await _livy.StartClusterAsync();
        var unknownStep = await _livy.EmrAsync("DescribeStep", new JsonObject { ["ClusterId"] = cluster, ["StepId"] = "s-NOSUCHSTEP" });
        EmrKit.AssertError(unknownStep, 400, "InvalidRequestException");
    }

    [Fact]
    public async Task AddJobFlowStepsWithBadActionOnFailure_ValidationException_NoStepAdded()
    {
        var cluster = await _livy.StartClusterAsync();
        var good = _livy.SparkStep("pass\n", "never-run");
        var bad = _livy.SparkStep("pass\n", "never-run");
        bad["ActionOnFailure"] = "RETRY";

        var answer = await _livy.EmrAsync("AddJobFlowSteps", new JsonObject { ["JobFlowId"] = cluster, ["Steps"] = new JsonArray(good, bad) });

        EmrKit.AssertError(answer, 400, "ValidationException");
        var steps = await _livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster });
        Assert.Empty(steps["Steps"]!.AsArray());
    }
}
