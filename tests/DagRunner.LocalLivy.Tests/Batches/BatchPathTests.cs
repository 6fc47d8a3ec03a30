namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>How the <c>file</c> and the other path fields are resolved (reference §1.3 table,
/// §8.27): <c>local:</c> and scheme-less absolute paths from the jobs root, <c>file:</c> only inside
/// it (the local-dir whitelist), everything else refused with 400.</summary>
public sealed class BatchPathTests
{
    private const string Script = "print('ran from', __file__)\n";

    [Theory]
    [InlineData("local:///jobs/run.py")]
    [InlineData("local:/jobs/run.py")]
    [InlineData("/jobs/run.py")]
    [InlineData("file://{jobs}/jobs/run.py")]
    [InlineData("file:{jobs}/jobs/run.py")]
    public async Task Create_PathInsideJobsRoot_RunsThatFile(string uri)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("jobs/run.py", Script);

        var id = await livy.CreateBatchAsync(new { file = uri.Replace("{jobs}", livy.Jobs.Path, StringComparison.Ordinal) });
        var batch = await livy.WaitForBatchAsync(id, "success", "dead");

        Assert.Equal("success", (string?)batch["state"]);
        Assert.Contains(await livy.FullLogAsync(id), l => l.StartsWith("ran from ", StringComparison.Ordinal) && l.EndsWith("run.py", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_FileUriOutsideJobsRoot_Answers400NotWhitelisted()
    {
        await using var livy = await LivyTestServer.StartAsync();
        // A sibling folder whose name starts with the jobs root's name is still outside it.
        var outside = livy.Jobs.Path + "-outside/run.py";

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "file://" + outside });

        Assert.Equal(400, status);
        BatchKit.AssertMsg(body, $"Rejected, Reason: Local path {outside} cannot be added to user sessions.");
    }

    [Theory]
    [InlineData("run.py")]
    [InlineData("jobs/run.py")]
    [InlineData("local:///../run.py")]
    [InlineData("local:///jobs/../../run.py")]
    [InlineData("/../../etc/passwd")]
    [InlineData("s3a://bucket/run.py")]
    [InlineData("https://example.com/run.py")]
    public async Task Create_UnusablePath_Answers400Rejected(string uri)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("jobs/run.py", Script);

        var (status, body, _) = await livy.PostAsync("/batches", new { file = uri });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: ", BatchKit.Msg(body), StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
    }

    [Fact]
    public async Task Create_PyFilesEscapingJobsRoot_Answers400Rejected()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("run.py", Script);

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "local:///run.py", pyFiles = new[] { "local:///../lib.py" } });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: ", BatchKit.Msg(body), StringComparison.Ordinal);
    }
}
