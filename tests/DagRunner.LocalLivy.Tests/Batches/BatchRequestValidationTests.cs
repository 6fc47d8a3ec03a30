using System.Text.Json;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>What <c>POST /batches</c> refuses and with which status and body shape (reference
/// §1.2): Jackson errors are bare JSON strings, create-time refusals are <c>{"msg": "Rejected, Reason: ..."}</c>.</summary>
public sealed class BatchRequestValidationTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("{\"file\": \"local:///a.py\",}")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[\"local:///a.py\"]")]
    [InlineData("\"local:///a.py\"")]
    public async Task Create_BodyNotAJsonObject_Answers400BareJsonString(string json)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, response) = await livy.SendAsync(HttpMethod.Post, "/batches", json);

        Assert.Equal(400, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(BatchKit.BareString(body));
        await AssertStillServesAsync(livy);
    }

    [Fact]
    public async Task Create_UnknownFieldTtl_Answers400JacksonUnrecognizedField()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "local:///a.py", ttl = "10m" });

        Assert.Equal(400, status);
        var message = BatchKit.BareString(body);
        Assert.StartsWith("Unrecognized field \"ttl\" (class org.apache.livy.server.batch.CreateBatchRequest)", message, StringComparison.Ordinal);
        Assert.Contains("not marked as ignorable (16 known properties:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("heartbeatTimeoutInSecond")]
    [InlineData("idleTimeout")]
    public async Task Create_SessionOnlyField_Answers400UnrecognizedField(string field)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.SendAsync(HttpMethod.Post, "/batches", $"{{\"file\":\"local:///a.py\",\"{field}\":\"1\"}}");

        Assert.Equal(400, status);
        Assert.StartsWith($"Unrecognized field \"{field}\"", BatchKit.BareString(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("args", "\"a b\"")]
    [InlineData("args", "[[\"nested\"]]")]
    [InlineData("numExecutors", "\"many\"")]
    [InlineData("driverCores", "{\"n\":1}")]
    [InlineData("conf", "[\"spark.x=1\"]")]
    [InlineData("conf", "{\"spark.x\":{\"nested\":1}}")]
    [InlineData("file", "[\"local:///a.py\"]")]
    [InlineData("pyFiles", "\"local:///lib.py\"")]
    public async Task Create_WrongType_Answers400BareJsonStringNamingTheField(string field, string value)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");
        var json = field == "file" ? $"{{\"file\":{value}}}" : $"{{\"file\":\"local:///a.py\",\"{field}\":{value}}}";

        var (status, body, _) = await livy.SendAsync(HttpMethod.Post, "/batches", json);

        Assert.Equal(400, status);
        Assert.Contains($"[\"{field}\"]", BatchKit.BareString(body), StringComparison.Ordinal);
        // A refused body never became a batch and took no id.
        Assert.Equal(0, await livy.CreateBatchAsync(new { file = "local:///a.py" }));
    }

    [Fact]
    public async Task Create_NumbersForStringsAndNumericStringsForInts_AreCoercedLikeJackson()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("argv.py", BatchKit.ArgvScript);
        const string json = """
            {"file":"local:///argv.py","args":[1,2.5,"x"],"numExecutors":"2","driverCores":"1","executorCores":3,
             "driverMemory":512,"queue":7,"conf":{"spark.executor.instances":4}}
            """;

        var (status, body, _) = await livy.SendAsync(HttpMethod.Post, "/batches", json);

        Assert.Equal(201, status);
        var id = (int)body!["id"]!;
        await livy.WaitForBatchAsync(id, "success");
        var line = Assert.Single(await livy.FullLogAsync(id), l => l.StartsWith("ARGV ", StringComparison.Ordinal));
        Assert.Equal(["1", "2.5", "x"], JsonSerializer.Deserialize<string[]>(line["ARGV ".Length..])!);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"args\":[\"a\"]}")]
    [InlineData("{\"file\":null}")]
    public async Task Create_NoFile_Answers400FileIsRequired(string json)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.SendAsync(HttpMethod.Post, "/batches", json);

        Assert.Equal(400, status);
        BatchKit.AssertMsg(body, "Rejected, Reason: requirement failed: File is required.");
    }

    [Fact]
    public async Task Create_BlacklistedConf_Answers400NamingTheKey()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");

        var (status, body, _) = await livy.PostAsync("/batches", new
        {
            file = "local:///a.py",
            conf = new Dictionary<string, string> { ["spark.master"] = "yarn", ["spark.executor.memory"] = "1g" },
        });

        Assert.Equal(400, status);
        BatchKit.AssertMsg(body, "Rejected, Reason: Blacklisted configuration values in session config: spark.master");
    }

    [Theory]
    [InlineData("GET", "/batches/99")]
    [InlineData("GET", "/batches/99/state")]
    [InlineData("GET", "/batches/99/log")]
    [InlineData("DELETE", "/batches/99")]
    public async Task UnknownBatchId_Answers404SessionNotFound(string method, string path)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.SendAsync(new HttpMethod(method), path);

        Assert.Equal(404, status);
        BatchKit.AssertMsg(body, "Session '99' not found.");
        await AssertStillServesAsync(livy);
    }

    [Theory]
    [InlineData("/no/such/route")]
    [InlineData("/batches/0/nope")]
    [InlineData("/batches/0/log/extra")]
    public async Task UnknownRoute_Answers404AndServerKeepsAnswering(string path)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, _, _) = await livy.SendAsync(HttpMethod.Get, path);

        Assert.Equal(404, status);
        await AssertStillServesAsync(livy);
    }

    private static async Task AssertStillServesAsync(LivyTestServer livy)
    {
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/batches")).Status);
        livy.Jobs.Write("alive.py", "pass\n");
        var id = await livy.CreateBatchAsync(new { file = "local:///alive.py" });
        Assert.Equal("success", (string?)(await livy.WaitForBatchAsync(id, "success", "dead"))["state"]);
    }
}
