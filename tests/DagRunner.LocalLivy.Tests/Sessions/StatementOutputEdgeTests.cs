namespace DagRunner.LocalLivy.Tests.Sessions;

/// <summary>Values JSON cannot carry, and session files on the module path.</summary>
public sealed class StatementOutputEdgeTests
{
    [Theory]
    [InlineData("%json float('nan')", "ValueError")]
    [InlineData("%json {1, 2}", "TypeError")]
    public async Task JsonMagic_ValueJsonCannotCarry_StatementErrorAndSessionGoesOn(string code, string ename)
    {
        await using var livy = await LivyTestServer.StartAsync();
        var session = await livy.StartSessionAsync();

        var failed = await livy.RunAsync(session, code);
        var next = await livy.RunAsync(session, "1 + 1");

        Assert.Equal("available", (string?)failed["state"]);
        Assert.Equal("error", (string?)failed["output"]!["status"]);
        Assert.Equal(ename, (string?)failed["output"]!["ename"]);
        Assert.Equal("2", (string?)next["output"]!["data"]!["text/plain"]);
        Assert.Equal("idle", (string?)(await livy.GetJsonAsync($"/sessions/{session}"))["state"]);
    }

    [Fact]
    public async Task Session_PyFiles_AreImportable()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("libs/helpers.py", "def greet(name):\n    return 'hello ' + name\n");

        var session = await livy.StartSessionAsync(new { kind = "pyspark", pyFiles = new[] { "local:///libs/helpers.py" } });
        var result = await livy.RunAsync(session, "import helpers\nhelpers.greet('livy')");

        Assert.Equal("'hello livy'", (string?)result["output"]!["data"]!["text/plain"]);
    }

    [Theory]
    [InlineData("ttl", "99999999999999999999")]
    [InlineData("idleTimeout", "9999999999999d")]
    public async Task Create_DurationTooLarge_400Rejected(string field, string value)
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.PostAsync("/sessions", new Dictionary<string, string> { ["kind"] = "pyspark", [field] = value });

        Assert.Equal(400, status);
        Assert.Equal($"Rejected, Reason: Invalid time string: {value}", (string?)body!["msg"]);
    }
}
