using System.Security.Cryptography;
using System.Text;
using DagRunner.Clients.Emr;

namespace DagRunner.Clients.Tests.Emr;

/// <summary>What every EMR request carries on the wire, and that its Signature V4 is the one the AWS
/// specification gives for it, computed here independently of the SDK.</summary>
public sealed class EmrSigningTests : IDisposable
{
    private readonly EmrStandIn _standIn = new();

    public void Dispose() => _standIn.Dispose();

    [Fact]
    public async Task DescribeStep_Request_CarriesTargetContentTypeBodyAndSigV4()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, new ManualTimeProvider(EmrTestKit.Start)));
        _standIn.Answer(200, EmrTestKit.StepJson);

        await client.DescribeStepAsync("j-1", "s-1ABC", TestContext.Current.CancellationToken);

        var request = Assert.Single(_standIn.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/emr/", request.Path);
        Assert.Equal("ElasticMapReduce.DescribeStep", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("""{"ClusterId":"j-1","StepId":"s-1ABC"}""", request.Body);
        Assert.Equal("20240102T030405Z", request.Headers["X-Amz-Date"]);
        Assert.Matches(
            @"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/elasticmapreduce/aws4_request, SignedHeaders=([a-z0-9-]+;)*host;([a-z0-9-]+;)*x-amz-date(;[a-z0-9-]+)*, Signature=[0-9a-f]{64}$",
            request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(EmrTestKit.Token)]
    public async Task Signature_FixedCredentialsAndTime_IsTheSpecsSignature(string? token)
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, new ManualTimeProvider(EmrTestKit.Start), token));
        _standIn.Answer(200, """{"StepIds":["s-1"]}""");

        await client.AddJobFlowStepsAsync("j-1", [new EmrStepConfig { Name = "a", HadoopJarStep = new EmrHadoopJarStep { Jar = "command-runner.jar", Args = ["spark-submit", "x.py"] } }], TestContext.Current.CancellationToken);

        var request = Assert.Single(_standIn.Requests);
        string[] signed = token is null
            ? ["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"]
            : ["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "x-amz-target"];
        if (token is not null)
            Assert.Equal(token, request.Headers["X-Amz-Security-Token"]);
        Assert.Equal(Expected(request, signed), request.Headers["Authorization"]);
    }

    [Fact]
    public void DefaultEndpoint_IsTheRegionsEmrEndpoint()
    {
        using var client = new EmrClient(new EmrOptions { Region = "eu-west-1", Credentials = new EmrCredentials(EmrTestKit.AccessKey, EmrTestKit.Secret) });

        Assert.Equal(new Uri("https://elasticmapreduce.eu-west-1.amazonaws.com/"), client.Endpoint);
    }

    [Fact]
    public void Options_WithoutRegion_SayWhatIsMissing()
    {
        var error = Assert.Throws<ArgumentException>(() => new EmrClient(new EmrOptions()));

        Assert.Contains("EmrOptions.Region", error.Message, StringComparison.Ordinal);
    }

    // AWS General Reference, "Create a signed AWS API request" (Signature Version 4), step by step.
    private static string Expected(RecordedRequest request, string[] signedHeaders)
    {
        var canonicalHeaders = string.Concat(signedHeaders.Select(name => $"{name}:{request.Headers[name].Trim()}\n"));
        var signedList = string.Join(';', signedHeaders);
        var payloadHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(payloadHash, request.Headers["x-amz-content-sha256"]);
        var canonicalRequest = $"POST\n{request.Path}\n\n{canonicalHeaders}\n{signedList}\n{payloadHash}";
        const string scope = "20240102/eu-west-1/elasticmapreduce/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n20240102T030405Z\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + EmrTestKit.Secret), "20240102");
        key = Hmac(key, "eu-west-1");
        key = Hmac(key, "elasticmapreduce");
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={EmrTestKit.AccessKey}/{scope}, SignedHeaders={signedList}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
