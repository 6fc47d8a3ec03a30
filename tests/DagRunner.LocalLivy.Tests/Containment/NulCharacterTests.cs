using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.LocalLivy.Tests.Sessions;

namespace DagRunner.LocalLivy.Tests.Containment;

/// <summary>A NUL character would cut a process argument, a path or a setting short, so the job
/// would run with another value than the one asked for: the request is refused with 400 naming
/// the field, and nothing starts.</summary>
public sealed class NulCharacterTests
{
    [Theory]
    [InlineData("""{"file": "local:///run.py", "args": ["--date", "2026-11-24\u0000 --drop-everything"]}""", "Field \"args\" item 1")]
    [InlineData("""{"file": "local:///run.py\u0000.txt"}""", "Field \"file\"")]
    [InlineData("""{"file": "local:///run.py", "conf": {"spark.app.x": "a\u0000b"}}""", "Field \"conf\" entry \"spark.app.x\"")]
    [InlineData("""{"file": "local:///run.py", "conf": {"spark.a\u0000": "b"}}""", "Field \"conf\" key \"spark.a\\u0000\"")]
    [InlineData("""{"file": "local:///run.py", "pyFiles": ["local:///lib.py\u0000"]}""", "Field \"pyFiles\" item 0")]
    [InlineData("""{"file": "local:///run.py", "name": "nightly\u0000"}""", "Field \"name\"")]
    public async Task CreateBatch_NulInAField_Answers400NamingTheField(string json, string field)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("run.py", BatchKit.ArgvScript);

        var (status, body, _) = await livy.PostAsync("/batches", json);

        Assert.Equal(400, status);
        var message = SessionTestKit.BareString(body);
        Assert.StartsWith(field + " contains a NUL character", message, StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
    }

    [Fact]
    public async Task CreateSession_NulInConf_Answers400NamingTheField()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.PostAsync("/sessions", """{"kind": "pyspark", "conf": {"spark.driver.extraJavaOptions": "-Dx=1\u0000"}}""");

        Assert.Equal(400, status);
        Assert.StartsWith("Field \"conf\" entry \"spark.driver.extraJavaOptions\" contains a NUL character", SessionTestKit.BareString(body), StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/sessions"))["total"]!);
    }

    [Fact]
    public async Task CreateBatch_ArgsWithoutNul_ArePassedWhole()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("run.py", BatchKit.ArgvScript);

        var id = await livy.CreateBatchAsync(new { file = "local:///run.py", args = new[] { "a b", "\u0001x" } });
        await livy.WaitForBatchAsync(id, "success");

        Assert.Contains("ARGV [\"a b\", \"\\u0001x\"]", await livy.FullLogAsync(id));
    }
}
