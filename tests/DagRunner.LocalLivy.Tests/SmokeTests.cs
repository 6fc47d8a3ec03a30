namespace DagRunner.LocalLivy.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Batch_And_Session_RunRealPython()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("job.py", "import sys\nprint('args', sys.argv[1:])\n");
        var (status, body, _) = await livy.PostAsync("/batches", new { file = "local:///job.py", args = new[] { "a b", "c" } });
        Assert.Equal(201, status);
        var batch = await livy.WaitForBatchAsync((int)body!["id"]!, "success", "dead");
        Assert.Equal("success", (string?)batch["state"]);
        var log = await livy.GetJsonAsync($"/batches/{(int)body["id"]!}/log");
        Assert.Contains("args ['a b', 'c']", log["log"]!.AsArray().Select(l => (string?)l));

        var session = await livy.StartSessionAsync();
        var statement = await livy.RunAsync(session, "1 + 2");
        Assert.Equal("3", (string?)statement["output"]!["data"]!["text/plain"]);
    }
}
