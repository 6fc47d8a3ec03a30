using DagRunner.LocalLivy.Tests.Batches;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Finished records are forgotten <c>state-retain.sec</c> (600 s) after they finished
/// (reference §3.5, §8.5); running ones never are. Time is a <see cref="FakeTimeProvider"/>.</summary>
public sealed class RetentionTests
{
    private static async Task AssertGoneAsync(LivyTestServer livy, int id)
    {
        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/batches/{id}");
        Assert.Equal(404, status);
        BatchKit.AssertMsg(body, $"Session '{id}' not found.");
    }

    [Fact]
    public async Task FinishedBatch_AnswersUntil599sAnd404From600s()
    {
        var time = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        var ok = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");
        var failed = await livy.RunBatchToEndAsync("fail.py", "import sys\nsys.exit(1)\n", "dead");

        time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{ok}"))["state"]);
        Assert.Equal("dead", (string?)(await livy.GetJsonAsync($"/batches/{failed}/state"))["state"]);

        time.Advance(TimeSpan.FromSeconds(1));
        await AssertGoneAsync(livy, ok);
        await AssertGoneAsync(livy, failed);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
    }

    [Fact]
    public async Task FinishedBatchName_IsFreeAgainAfterRetention()
    {
        var time = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        livy.Jobs.Write("ok.py", "pass\n");
        var first = await livy.CreateBatchAsync(new { file = "local:///ok.py", name = "daily" });
        await livy.WaitForBatchAsync(first, "success");
        Assert.Equal(400, (await livy.PostAsync("/batches", new { file = "local:///ok.py", name = "daily" })).Status);

        time.Advance(TimeSpan.FromSeconds(600));

        var second = await livy.CreateBatchAsync(new { file = "local:///ok.py", name = "daily" });
        Assert.Equal(second, (int)(await livy.GetJsonAsync("/batches/daily"))["id"]!);
    }

    [Fact]
    public async Task CustomStateRetention_IsHonoured()
    {
        var time = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.StateRetention = TimeSpan.FromSeconds(30);
        });
        var id = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);

        time.Advance(TimeSpan.FromSeconds(1));
        await AssertGoneAsync(livy, id);
    }

    [Fact]
    public async Task RetentionCounts_FromFinishNotFromCreation()
    {
        var time = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        var path = livy.Jobs["release"];
        livy.Jobs.Write("wait.py", BatchKit.ReleaseScript);
        var id = await livy.CreateBatchAsync(new { file = "local:///wait.py", args = new[] { path } });
        await livy.WaitForPidAsync(id);

        // Ran for 20 fake minutes before finishing.
        time.Advance(TimeSpan.FromMinutes(20));
        livy.Jobs.Write("release", "");
        await livy.WaitForBatchAsync(id, "success");

        time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);
        time.Advance(TimeSpan.FromSeconds(1));
        await AssertGoneAsync(livy, id);
    }

    [Fact]
    public async Task RunningBatch_IsNeverForgotten()
    {
        var time = new FakeTimeProvider();
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        livy.Jobs.Write("sleep.py", BatchKit.SleepScript);
        var id = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        var pid = await livy.WaitForPidAsync(id);

        time.Advance(TimeSpan.FromDays(3));

        Assert.Equal("running", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);
        Assert.Equal(1, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
        Assert.True(BatchKit.IsRunning(pid));
    }
}
