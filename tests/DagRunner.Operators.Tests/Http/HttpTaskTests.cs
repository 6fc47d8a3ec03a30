using DagRunner.Operators.Tests.Livy;
using DagRunner.Sdk;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Operators.Tests.Http;

/// <summary>HTTP tasks against LocalLivy's REST API, a real server on loopback.</summary>
public sealed class HttpTaskTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HttpOperator_PostJson_BodyIsTheOutput()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("a.py", "print(1)\n");
        var task = new HttpOperator("submit")
        {
            Method = "POST",
            Endpoint = "/batches",
            Headers = { ["Content-Type"] = "application/json" },
            Body = "{\"file\": \"local:///a.py\", \"name\": \"from-http\"}",
            ResponseCheck = response => response.Headers.ContainsKey("Location"),
        };
        using var log = new StringWriter();

        var body = (string)(await task.ExecuteAsync(bed.Context("submit", log), Token))!;

        Assert.Contains("\"name\":\"from-http\"", body, StringComparison.Ordinal);
        Assert.Contains("POST /batches answered 201", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpOperator_ErrorStatus_FailsQuotingTheAnswer()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new HttpOperator("get") { Method = "GET", Endpoint = "/batches/99" };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("get", TextWriter.Null), Token));

        Assert.Equal("GET /batches/99 answered 404: {\"msg\":\"Session '99' not found.\"}", error.Message);
    }

    [Fact]
    public async Task HttpOperator_AbsoluteUrlOfAnotherHost_RefusedWithoutSendingCredentials()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new HttpOperator("leak") { Method = "GET", Endpoint = "http://example.invalid/collect" };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("leak", TextWriter.Null), Token));

        Assert.Contains("is not the host of connection 'http_default'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpOperator_CheckSaysNo_Fails()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new HttpOperator("get") { Method = "GET", Endpoint = "/version", ResponseCheck = r => r.Body.Contains("1.0", StringComparison.Ordinal) };

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => task.ExecuteAsync(bed.Context("get", TextWriter.Null), Token));

        Assert.Contains("the response check returned false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSensor_CheckHolds_OutputIsTheBody()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var sensor = new HttpSensor("ready") { Endpoint = "/version", ResponseCheck = r => r.Body.Contains("0.9.0", StringComparison.Ordinal) };

        var body = (string)(await sensor.ExecuteAsync(bed.Context("ready", TextWriter.Null), Token))!;

        Assert.Contains("0.9.0-incubating", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSensor_NotFoundUntilTimeout_Fails()
    {
        var clock = new FakeTimeProvider();
        await using var bed = await LivyTestbed.StartAsync(clientTime: clock);
        var sensor = new HttpSensor("ready") { Endpoint = "/batches/7", PokeInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromMinutes(2) };
        var log = new SignalingLog(": not yet.");

        var run = Task.Run(() => sensor.ExecuteAsync(bed.Context("ready", log), Token), Token);
        for (var i = 0; i < 2; i++)
        {
            await log.Seen.WaitAsync(Token);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => run);
        Assert.Contains("GET /batches/7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpOperator_SecretParameterInTheEndpoint_SentButMaskedInTheLog()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var task = new HttpOperator("get") { Method = "GET", Endpoint = "/version?api_token={{ params.api_token }}" };
        using var log = new StringWriter();

        var body = (string)(await task.ExecuteAsync(WithToken(bed.Context("get", log)), Token))!;

        Assert.Contains("0.9.0-incubating", body, StringComparison.Ordinal);
        Assert.Contains("GET /version?api_token=*** answered 200: ", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSensor_SecretParameterInTheEndpoint_MaskedInThePokesAndTheFailure()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var sensor = new HttpSensor("ready") { Endpoint = "/batches/7?api_token={{ params.api_token }}", PokeInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromSeconds(30) };
        using var log = new StringWriter();

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => sensor.ExecuteAsync(WithToken(bed.Context("ready", log)), Token));

        Assert.Contains("Poke 1: GET /batches/7?api_token=***: not yet.", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("waiting for GET /batches/7?api_token=***.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.ToString() + error.Message, StringComparison.Ordinal);
    }

    private const string Secret = "tok-5ecret-42";

    private static TaskContext WithToken(TaskContext context) => new()
    {
        DagId = context.DagId,
        TaskId = context.TaskId,
        RunId = context.RunId,
        LogicalDate = context.LogicalDate,
        Params = new Dictionary<string, object?> { ["api_token"] = Secret },
        Log = context.Log,
        Services = context.Services,
    };

    private sealed class SignalingLog(string trigger) : StringWriter
    {
        public SemaphoreSlim Seen { get; } = new(0);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
                Seen.Release();
        }
    }
}
