using DagRunner.Clients.Emr;

namespace DagRunner.Clients.Tests.Emr;

/// <summary>EMR's answers read into their shapes, its errors into <see cref="EmrException"/>s, and
/// AWS's retry rules, against a stand-in on loopback with a clock that moves only when told.</summary>
public sealed class EmrClientTests : IDisposable
{
    private const string Throttled = """{"__type":"ThrottlingException","message":"Rate exceeded"}""";
    private readonly EmrStandIn _standIn = new();
    private readonly ManualTimeProvider _time = new(EmrTestKit.Start);

    public void Dispose() => _standIn.Dispose();

    [Fact]
    public async Task DescribeStep_ReadsStatusFailureDetailsAndEpochTimeline()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(200, EmrTestKit.StepJson);

        var step = await client.DescribeStepAsync("j-1", "s-1ABC", TestContext.Current.CancellationToken);

        Assert.Equal("s-1ABC", step.Id);
        Assert.Equal("nightly-etl#3", step.Name);
        Assert.Equal("FAILED", step.Status.State);
        Assert.True(step.Status.IsTerminal);
        Assert.Equal("step failed", step.Status.StateChangeReason!.Message);
        Assert.Equal(new EmrFailureDetails("Unknown Error.", "Exception in thread main", "s3://logs/j-1/steps/s-1ABC/stderr.gz"), step.Status.FailureDetails);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1704164645500), step.Status.Timeline!.CreationDateTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1704164700), step.Status.Timeline.StartDateTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1704164760250), step.Status.Timeline.EndDateTime);
        Assert.Equal(["spark-submit", "s3://b/job.py"], step.Config!.Args);
        Assert.Equal("v", step.Config.Properties!["k"]);
    }

    [Fact]
    public async Task ListSteps_PagesWithMarker()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(200, """{"Steps":[{"Id":"s-2","Name":"b","Status":{"State":"RUNNING"}}],"Marker":"page-2"}""");
        _standIn.Answer(200, """{"Steps":[{"Id":"s-1","Name":"a","Status":{"State":"COMPLETED","Timeline":{"EndDateTime":1704164760}}}]}""");
        var ct = TestContext.Current.CancellationToken;

        var first = await client.ListStepsAsync(new EmrListStepsRequest { ClusterId = "j-1", StepStates = ["RUNNING", "COMPLETED"] }, ct);
        var second = await client.ListStepsAsync(new EmrListStepsRequest { ClusterId = "j-1", Marker = first.Marker }, ct);

        Assert.Equal("s-2", Assert.Single(first.Steps).Id);
        Assert.Equal("page-2", first.Marker);
        Assert.Equal("COMPLETED", Assert.Single(second.Steps).Status.State);
        Assert.Null(second.Marker);
        var bodies = _standIn.Requests.Select(r => r.Body).ToArray();
        Assert.Equal("""{"ClusterId":"j-1","StepStates":["RUNNING","COMPLETED"]}""", bodies[0]);
        Assert.Equal("""{"ClusterId":"j-1","Marker":"page-2"}""", bodies[1]);
        Assert.All(_standIn.Requests, r => Assert.Equal("ElasticMapReduce.ListSteps", r.Headers["X-Amz-Target"]));
    }

    [Fact]
    public async Task DescribeCluster_And_RunJobFlow_UseEmrsShapes()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(200, """{"JobFlowId":"j-NEW","ClusterArn":"arn:aws:elasticmapreduce:eu-west-1:1:cluster/j-NEW"}""");
        _standIn.Answer(200, """{"Cluster":{"Id":"j-NEW","Name":"etl","Status":{"State":"WAITING","StateChangeReason":{"Message":"ready"},"Timeline":{"CreationDateTime":1704164645,"ReadyDateTime":1704164945}},"MasterPublicDnsName":"ec2-1.compute.amazonaws.com"}}""");
        var ct = TestContext.Current.CancellationToken;

        var started = await client.RunJobFlowAsync(new EmrRunJobFlowRequest
        {
            Name = "etl",
            ReleaseLabel = "emr-7.1.0",
            Applications = [new EmrApplication("Spark")],
            Instances = new EmrInstances { InstanceCount = 3, MasterInstanceType = "m5.xlarge", SlaveInstanceType = "m5.xlarge", KeepJobFlowAliveWhenNoSteps = true },
        }, ct);
        var cluster = await client.DescribeClusterAsync(started.JobFlowId, ct);

        Assert.Equal("j-NEW", started.JobFlowId);
        Assert.Equal("WAITING", cluster.Status.State);
        Assert.False(cluster.Status.IsTerminated);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1704164945), cluster.Status.Timeline!.ReadyDateTime);
        Assert.Equal(
            """{"Name":"etl","ReleaseLabel":"emr-7.1.0","Instances":{"MasterInstanceType":"m5.xlarge","SlaveInstanceType":"m5.xlarge","InstanceCount":3,"KeepJobFlowAliveWhenNoSteps":true},"Applications":[{"Name":"Spark"}]}""",
            _standIn.Requests.First().Body);
    }

    [Theory]
    [InlineData("""{"__type":"com.amazon.coral.validate#ValidationException","message":"Cluster id 'j-X' is not valid."}""", null)]
    [InlineData("""{"Message":"Cluster id 'j-X' is not valid."}""", "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/")]
    public async Task ValidationException_BecomesEmrExceptionWithCodeAndMessage_NotRetried(string body, string? errorType)
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(400, body, errorType);

        var error = await Assert.ThrowsAsync<EmrException>(() => client.DescribeClusterAsync("j-X", TestContext.Current.CancellationToken));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Cluster id 'j-X' is not valid.", error.ServerMessage);
        Assert.Equal(400, error.Status);
        Assert.Equal("DescribeCluster", error.Operation);
        Assert.False(error.IsTransient);
        Assert.Equal($"EMR DescribeCluster at {_standIn.Endpoint} answered 400: ValidationException: Cluster id 'j-X' is not valid.", error.Message);
        Assert.Single(_standIn.Requests);
    }

    [Fact]
    public async Task DescribeStep_ThrottledTwice_WaitsBackoffResignsAndSucceeds()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(400, Throttled);
        _standIn.Answer(400, """{"__type":"RequestLimitExceeded","message":"slow down"}""");
        _standIn.Answer(200, EmrTestKit.StepJson);
        var ct = TestContext.Current.CancellationToken;

        var call = client.DescribeStepAsync("j-1", "s-1ABC", ct);
        var firstDelay = await _time.WaitForTimerWithinAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Single(_standIn.Requests); // nothing is sent again before the backoff has passed
        // Past the backoff by 10 s more: a retry that reused the first attempt's signature would carry its date.
        _time.Advance(firstDelay + TimeSpan.FromSeconds(10));
        var secondDelay = await _time.FireNextTimerWithinAsync(TimeSpan.FromSeconds(10), ct);
        var step = await call;

        Assert.Equal("s-1ABC", step.Id);
        var requests = _standIn.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.InRange(firstDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(secondDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        // Each attempt is signed anew, with the time it was sent at.
        var retried = EmrTestKit.Start + firstDelay + TimeSpan.FromSeconds(10);
        string[] expected = [Stamp(EmrTestKit.Start), Stamp(retried), Stamp(retried + secondDelay)];
        Assert.Equal(expected, requests.Select(r => r.Headers["X-Amz-Date"]));
        Assert.NotEqual(requests[0].Headers["Authorization"], requests[1].Headers["Authorization"]);
        Assert.All(requests.Zip(expected), pair => Assert.Contains($"Credential=AKIDEXAMPLE/{pair.Second[..8]}/", pair.First.Headers["Authorization"], StringComparison.Ordinal));
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ServerError_ThenSuccess_IsRetried()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(503, """{"__type":"InternalServerError","message":"try again"}""");
        _standIn.Answer(200, """{"CancelStepsInfoList":[{"StepId":"s-1","Status":"SUBMITTED"}]}""");
        var ct = TestContext.Current.CancellationToken;

        var call = client.CancelStepsAsync("j-1", ["s-1"], ct);
        await _time.FireNextTimerWithinAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal("SUBMITTED", Assert.Single(await call).Status);
        Assert.Equal(2, _standIn.Requests.Count);
    }

    [Theory]
    [InlineData("AddJobFlowSteps")]
    [InlineData("RunJobFlow")]
    public async Task NonIdempotentCall_Throttled_IsNotRetried(string operation)
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(400, Throttled);
        _standIn.Answer(200, """{"StepIds":["s-DUPLICATE"],"JobFlowId":"j-DUPLICATE"}""");
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<EmrException>(() => operation == "RunJobFlow"
            ? client.RunJobFlowAsync(new EmrRunJobFlowRequest { Name = "x", ReleaseLabel = "emr-7.1.0", Instances = new EmrInstances() }, ct)
            : client.AddJobFlowStepsAsync("j-1", [new EmrStepConfig { Name = "a", HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar" } }], ct));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(operation, error.Operation);
        Assert.True(error.IsTransient);
        Assert.Equal("ElasticMapReduce." + operation, Assert.Single(_standIn.Requests).Headers["X-Amz-Target"]);
    }

    [Fact]
    public async Task Secrets_NeverInMessagesOrToString()
    {
        var options = EmrTestKit.Options(_standIn, _time, EmrTestKit.Token) with { MaxRetries = 0 };
        using var client = new EmrClient(options);
        var ct = TestContext.Current.CancellationToken;
        _standIn.Answer(400, """{"__type":"ValidationException","message":"bad"}""");
        _standIn.Answer(400, Throttled);
        _standIn.Answer(200, "<html>not json</html>");
        // AWS's InvalidSignatureException quotes the canonical request, the session token header included.
        _standIn.Answer(403, $$"""{"__type":"InvalidSignatureException","message":"The Canonical String for this request should have been 'POST / x-amz-security-token:{{EmrTestKit.Token}}' (key {{EmrTestKit.Secret}})"}""");
        var failures = new List<EmrException>
        {
            await Assert.ThrowsAsync<EmrException>(() => client.DescribeStepAsync("j-1", "s-1", ct)),
            await Assert.ThrowsAsync<EmrException>(() => client.DescribeStepAsync("j-1", "s-1", ct)),
            await Assert.ThrowsAsync<EmrException>(() => client.DescribeStepAsync("j-1", "s-1", ct)),
            await Assert.ThrowsAsync<EmrException>(() => client.DescribeStepAsync("j-1", "s-1", ct)),
        };
        _standIn.Dispose();
        failures.Add(await Assert.ThrowsAsync<EmrException>(() => client.DescribeStepAsync("j-1", "s-1", ct)));

        Assert.Equal("InvalidSignatureException", failures[3].ErrorCode);
        Assert.Contains("x-amz-security-token:***", failures[3].ServerMessage, StringComparison.Ordinal);
        var texts = failures.Select(e => e.ToString()).Concat(failures.Select(e => e.ServerMessage ?? ""))
            .Append(options.ToString()).Append(options.Credentials!.ToString()).Append(client.ToString());
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain(EmrTestKit.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(EmrTestKit.Token, text, StringComparison.Ordinal);
        });
        Assert.Contains(EmrTestKit.AccessKey, options.Credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("got no answer", failures[4].Message, StringComparison.Ordinal);
    }
}
