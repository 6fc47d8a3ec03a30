using System.Text.Json.Nodes;
using DagRunner.LocalLivy.Tests.Batches;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Faults on demand: injected 500s (bare JSON strings, as Livy renders a server
/// exception, reference §1.2) and latency, set in code or over <c>/local-livy/faults</c>.</summary>
public sealed class FaultTests
{
    private static readonly string[] Paths = ["/batches", "/batches/0", "/sessions", "/version", "/ws/v1/cluster/apps"];

    private static async Task AssertAllFailAsync(LivyTestServer livy)
    {
        foreach (var path in Paths)
        {
            var (status, body, _) = await livy.SendAsync(HttpMethod.Get, path);
            Assert.True(status == 500, $"GET {path} answered {status}");
            Assert.NotEmpty(BatchKit.BareString(body));
        }

        var (postStatus, postBody, _) = await livy.PostAsync("/batches", new { file = "local:///a.py" });
        Assert.Equal(500, postStatus);
        Assert.NotEmpty(BatchKit.BareString(postBody));
    }

    private static async Task AssertServesAsync(LivyTestServer livy)
    {
        var list = await livy.GetJsonAsync("/batches");
        // The POSTs refused with 500 never reached Livy: nothing was created and no id was taken.
        Assert.Equal(0, (int)list["total"]!);
        Assert.Equal(0, await livy.CreateBatchAsync(new { file = "local:///a.py" }));
        Assert.Equal("success", (string?)(await livy.WaitForBatchAsync(0, "success", "dead"))["state"]);
    }

    [Fact]
    public async Task ServerErrorRateOne_EveryRequestAnswers500UntilReset()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");

        livy.Server.Faults.ServerErrorRate = 1;
        await AssertAllFailAsync(livy);

        livy.Server.Faults.ServerErrorRate = 0;
        await AssertServesAsync(livy);
    }

    [Fact]
    public async Task FaultsOverHttp_PutSetsThemAndGetReportsThem()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("a.py", "pass\n");

        var (putStatus, putBody, _) = await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", "{\"serverErrorRate\":1}");
        Assert.Equal(200, putStatus);
        Assert.Equal(1.0, (double)putBody!["serverErrorRate"]!);
        var faults = await livy.GetJsonAsync("/local-livy/faults");
        Assert.Equal(1.0, (double)faults["serverErrorRate"]!);
        Assert.Equal(0.0, (double)faults["latencyMs"]!);
        Assert.Equal(1.0, livy.Server.Faults.ServerErrorRate);
        await AssertAllFailAsync(livy);

        var (resetStatus, _, _) = await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", "{\"serverErrorRate\":0}");
        Assert.Equal(200, resetStatus);
        Assert.Equal(0.0, (double)(await livy.GetJsonAsync("/local-livy/faults"))["serverErrorRate"]!);
        await AssertServesAsync(livy);
    }

    [Theory]
    [InlineData("{\"serverErrorRate\":2}")]
    [InlineData("{\"serverErrorRate\":\"often\"}")]
    [InlineData("{\"latencyMs\":-5}")]
    [InlineData("not json")]
    public async Task FaultsOverHttp_InvalidPut_Answers400AndResetsFaults(string json)
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Server.Faults.ServerErrorRate = 0.5;

        var (status, body, _) = await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", json);

        Assert.Equal(400, status);
        Assert.NotEmpty(BatchKit.Msg(body));
        var faults = await livy.GetJsonAsync("/local-livy/faults");
        Assert.Equal(0.0, (double)faults["serverErrorRate"]!);
        Assert.Equal(0.0, (double)faults["latencyMs"]!);
    }

    [Fact]
    public async Task Latency_RequestCompletesOnlyOnceFakeClockPassesIt()
    {
        var latency = TimeSpan.FromSeconds(5);
        var time = new DelayWatchingTime(latency);
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        livy.Server.Faults.Latency = latency;

        var request = livy.SendAsync(HttpMethod.Get, "/batches");
        // The server has started waiting out the latency on the fake clock.
        await time.DelayStarted.WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token);
        time.Advance(latency - TimeSpan.FromMilliseconds(1));
        Assert.False(request.IsCompleted, "the request completed before its latency had passed");

        time.Advance(TimeSpan.FromMilliseconds(1));
        var (status, body, _) = await request.WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token);
        Assert.Equal(200, status);
        Assert.Equal(0, (int)body!["total"]!);

        // Latency back to zero: answers come without touching the clock.
        livy.Server.Faults.Latency = TimeSpan.Zero;
        var (again, _, _) = await livy.SendAsync(HttpMethod.Get, "/batches").WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token);
        Assert.Equal(200, again);
    }

    [Fact]
    public async Task LatencyOverHttp_IsReportedAndDelaysLivyButNotAdminRoutes()
    {
        var latency = TimeSpan.FromSeconds(3);
        var time = new DelayWatchingTime(latency);
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);

        var (putStatus, _, _) = await livy.SendAsync(HttpMethod.Put, "/local-livy/faults", "{\"latencyMs\":3000}");
        Assert.Equal(200, putStatus);
        var faults = await livy.GetJsonAsync("/local-livy/faults").WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token);
        Assert.Equal(3000.0, (double)faults["latencyMs"]!);
        Assert.Equal(latency, livy.Server.Faults.Latency);

        var request = livy.SendAsync(HttpMethod.Get, "/version");
        await time.DelayStarted.WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token);
        Assert.False(request.IsCompleted);
        time.Advance(latency);
        Assert.Equal(200, (await request.WaitAsync(TimeSpan.FromSeconds(20), BatchKit.Token)).Status);
    }

    /// <summary>A fake clock that tells when someone starts a one-shot timer of the watched length
    /// (what <c>Task.Delay(latency, timeProvider)</c> creates).</summary>
    private sealed class DelayWatchingTime(TimeSpan watched) : FakeTimeProvider
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DelayStarted => _started.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == watched && period == Timeout.InfiniteTimeSpan)
                _started.TrySetResult();
            return timer;
        }
    }
}
