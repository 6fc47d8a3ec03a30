using System.Text.Json.Nodes;
using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Livy restarts (reference §3.4, §0.10, §0.11, §8.4): with recovery, records come back
/// with their ids, running batches follow YARN and sessions reattach; without it, everything is
/// stopped and ids restart at 0.</summary>
public sealed class RecoveryTests
{
    /// <summary>A server in recovery mode whose store lives in <paramref name="state"/>.</summary>
    private static Task<LivyTestServer> StartAsync(TempFolder state, TimeProvider? time = null) =>
        LivyTestServer.StartAsync(o =>
        {
            o.Recovery = true;
            o.StateFolder = state.Path;
            if (time is not null)
                o.TimeProvider = time;
        });

    [Fact]
    public async Task RestartKeepingState_KeepsFinishedAndRunningBatches_RunningOneFollowsYarnToSuccess()
    {
        using var state = new TempFolder("local-livy-state");
        await using var livy = await StartAsync(state);
        var finished = await livy.RunBatchToEndAsync("ok.py", "print('finished before restart')\n", "success");
        livy.Jobs.Write("wait.py", BatchKit.ReleaseScript);
        var release = livy.Jobs["release"];
        livy.Jobs.Write("named.py", "pass\n");
        var running = await livy.CreateBatchAsync(new { file = "local:///wait.py", args = new[] { release }, name = "long-one" });
        var pid = await livy.WaitForPidAsync(running);
        var runningAppId = (string)(await livy.GetJsonAsync($"/batches/{running}"))["appId"]!;

        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);

        var before = await livy.GetJsonAsync($"/batches/{finished}");
        Assert.Equal(finished, (int)before["id"]!);
        Assert.Equal("success", (string?)before["state"]);
        var after = await livy.GetJsonAsync($"/batches/{running}");
        Assert.Equal("running", (string?)after["state"]);
        Assert.Equal(runningAppId, (string?)after["appId"]);
        Assert.Equal(running, (int)(await livy.GetJsonAsync("/batches/long-one"))["id"]!);
        Assert.True(BatchKit.IsRunning(pid), "the batch's process did not survive the Livy restart");
        Assert.Equal(2, (int)(await livy.GetJsonAsync("/batches"))["total"]!);

        // Ids continue after the recovered ones.
        var next = await livy.CreateBatchAsync(new { file = "local:///named.py" });
        Assert.Equal(running + 1, next);

        livy.Jobs.Write("release", "");
        var ended = await livy.WaitForBatchAsync(running, "success", "dead", "killed");
        Assert.Equal("success", (string?)ended["state"]);
        var app = await livy.GetJsonAsync($"/ws/v1/cluster/apps/{runningAppId}");
        Assert.Equal("FINISHED", (string?)app["app"]!["state"]);
        Assert.Equal("SUCCEEDED", (string?)app["app"]!["finalStatus"]);
    }

    [Fact]
    public async Task RestartKeepingState_LiveSession_ReattachesAndKeepsItsInterpreter()
    {
        using var state = new TempFolder("local-livy-state");
        await using var livy = await StartAsync(state);
        var session = await livy.StartSessionAsync();
        await livy.RunAsync(session, "x = 40");

        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);

        await livy.WaitForSessionAsync(session, "idle");
        var statement = await livy.RunAsync(session, "x + 2");
        Assert.Equal("ok", (string?)statement["output"]!["status"]);
        Assert.Equal("42", (string?)statement["output"]!["data"]!["text/plain"]);
        Assert.Equal(session + 1, (await livy.PostAsync("/sessions", new { kind = "pyspark" })).Body!["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task RestartWithoutState_ForgetsRecordsRestartsIdsAndKillsRunningBatch()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var finished = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");
        livy.Jobs.Write("sleep.py", BatchKit.SleepScript);
        var running = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        var pid = await livy.WaitForPidAsync(running);
        var appId = (string)(await livy.GetJsonAsync($"/batches/{running}"))["appId"]!;

        await livy.Server.RestartAsync(keepState: false, BatchKit.Token);

        Assert.False(BatchKit.IsRunning(pid), "the running batch survived a restart without recovery");
        foreach (var id in new[] { finished, running })
        {
            var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/batches/{id}");
            Assert.Equal(404, status);
            BatchKit.AssertMsg(body, $"Session '{id}' not found.");
        }

        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
        var app = await livy.WaitForYarnStateAsync(appId, "KILLED");
        Assert.Equal("KILLED", (string?)app["app"]!["finalStatus"]);
        Assert.Equal(0, await livy.CreateBatchAsync(new { file = "local:///ok.py" }));
    }

    [Fact]
    public async Task RestartKeepingState_WithoutRecovery_ThrowsInvalidOperation()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");

        await Assert.ThrowsAsync<InvalidOperationException>(() => livy.Server.RestartAsync(keepState: true, BatchKit.Token));

        // The refused restart changed nothing.
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);
    }

    [Fact]
    public async Task NewServerOnSameStateFolder_BringsBackBatchRecordsById()
    {
        using var state = new TempFolder("local-livy-state");
        int ok, failed, keeper;
        string okAppId;
        await using (var first = await StartAsync(state))
        {
            ok = await first.RunBatchToEndAsync("ok.py", "pass\n", "success");
            failed = await first.RunBatchToEndAsync("fail.py", "import sys\nsys.exit(3)\n", "dead");
            first.Jobs.Write("named.py", "pass\n");
            keeper = await first.CreateBatchAsync(new { file = "local:///named.py", name = "keeper" });
            await first.WaitForBatchAsync(keeper, "success");
            okAppId = (string)(await first.GetJsonAsync($"/batches/{ok}"))["appId"]!;
        }

        await using var second = await StartAsync(state);

        var okBatch = await second.GetJsonAsync($"/batches/{ok}");
        Assert.Equal("success", (string?)okBatch["state"]);
        Assert.Equal(okAppId, (string?)okBatch["appId"]);
        Assert.Equal("success", (string?)(await second.GetJsonAsync("/batches/keeper"))["state"]);
        Assert.Equal(keeper, (int)(await second.GetJsonAsync("/batches/keeper"))["id"]!);
        Assert.Equal("FINISHED", (string?)(await second.GetJsonAsync($"/ws/v1/cluster/apps/{okAppId}"))["app"]!["state"]);
        // The failed batch is either still known as dead or, as Livy drops dead batches from its store, gone.
        var (failedStatus, failedBody, _) = await second.SendAsync(HttpMethod.Get, $"/batches/{failed}");
        Assert.True(failedStatus == 404 || (string?)failedBody!["state"] == "dead", $"batch {failed}: {failedStatus} {failedBody?.ToJsonString()}");
        // Batch ids and YARN app ids both continue after the recovered ones.
        second.Jobs.Write("ok.py", "pass\n");
        var next = await second.CreateBatchAsync(new { file = "local:///ok.py" });
        Assert.Equal(keeper + 1, next);
        var nextAppId = (string)(await second.WaitForBatchAsync(next, "success"))["appId"]!;
        Assert.NotEqual(okAppId, nextAppId);
        Assert.True(string.CompareOrdinal(okAppId, nextAppId) < 0, $"{nextAppId} does not follow {okAppId}");
    }

    [Fact]
    public async Task RestartKeepingState_DeleteRecoveredRunningBatch_KillsItsProcess()
    {
        using var state = new TempFolder("local-livy-state");
        await using var livy = await StartAsync(state);
        livy.Jobs.Write("sleep.py", BatchKit.SleepScript);
        var id = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        var pid = await livy.WaitForPidAsync(id);
        var appId = (string)(await livy.GetJsonAsync($"/batches/{id}"))["appId"]!;
        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);
        Assert.Equal("running", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);

        var (status, body, _) = await livy.SendAsync(HttpMethod.Delete, $"/batches/{id}");

        Assert.Equal(200, status);
        BatchKit.AssertMsg(body, "deleted");
        Assert.False(BatchKit.IsRunning(pid));
        Assert.Equal(404, (await livy.SendAsync(HttpMethod.Get, $"/batches/{id}")).Status);
        await livy.WaitForYarnStateAsync(appId, "KILLED");
    }

    [Fact]
    public async Task RestartKeepingState_BatchEndingAfterRestart_DoesNotRollBackTheRecoveryStore()
    {
        using var state = new TempFolder("local-livy-state");
        await using var livy = await StartAsync(state);
        livy.Jobs.Write("wait.py", BatchKit.ReleaseScript);
        var running = await livy.CreateBatchAsync(new { file = "local:///wait.py", args = new[] { livy.Jobs["release"] } });
        await livy.WaitForPidAsync(running);
        var appId = (string)(await livy.GetJsonAsync($"/batches/{running}"))["appId"]!;
        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);
        var created = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");
        Assert.Equal(running + 1, created);

        livy.Jobs.Write("release", "");
        await livy.WaitForBatchAsync(running, "success");
        // Whoever records the app's end in the store does so after the batch was seen to end.
        await WaitForStoredAppStateAsync(state, appId, "FINISHED");

        // A second server reading the store now (as after a crash of the first) must see the
        // batch created after the restart, and continue the ids after it.
        await using var reader = await StartAsync(state);
        var (status, body, _) = await reader.SendAsync(HttpMethod.Get, $"/batches/{created}");
        Assert.True(status == 200, $"batch {created}, created after the restart, is missing from the recovery store: {status} {body?.ToJsonString()}");
        reader.Jobs.Write("ok.py", "pass\n");
        Assert.Equal(created + 1, await reader.CreateBatchAsync(new { file = "local:///ok.py" }));
    }

    // The store is LocalLivy's own file (livy-recovery.json in the state folder); polled like a
    // client polls a real process, since the write follows the end of one.
    private static async Task WaitForStoredAppStateAsync(TempFolder state, string appId, string yarnState)
    {
        var file = state["livy-recovery.json"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stored = File.Exists(file) ? JsonNode.Parse(await File.ReadAllTextAsync(file, BatchKit.Token)) : null;
            var app = stored?["apps"]?.AsArray().FirstOrDefault(a => (string?)a!["id"] == appId);
            if ((string?)app?["state"] == yarnState)
                return;
            Assert.True(DateTime.UtcNow < deadline, $"the recovery store never recorded {appId} as {yarnState}: {stored?.ToJsonString()}");
            await Task.Delay(20, BatchKit.Token);
        }
    }

    [Fact]
    public async Task RestartKeepingState_RecoveredBatchRetention_CountsFromItsOriginalFinish()
    {
        using var state = new TempFolder("local-livy-state");
        var time = new FakeTimeProvider();
        await using var livy = await StartAsync(state, time: time);
        var id = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");
        time.Advance(TimeSpan.FromSeconds(300));

        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);

        time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal("success", (string?)(await livy.GetJsonAsync($"/batches/{id}"))["state"]);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(404, (await livy.SendAsync(HttpMethod.Get, $"/batches/{id}")).Status);
    }

    [Fact]
    public async Task RestartKeepingState_RecoveredDeadBatchThatNeverReachedYarn_IsForgottenAfterRetention()
    {
        using var state = new TempFolder("local-livy-state");
        var time = new FakeTimeProvider();
        await using var livy = await StartAsync(state, time: time);
        // A batch whose file is missing dies before YARN sees an app (appId null).
        var id = await livy.CreateBatchAsync(new { file = "local:///missing.py" });
        Assert.Null((await livy.WaitForBatchAsync(id, "dead"))["appId"]);

        await livy.Server.RestartAsync(keepState: true, BatchKit.Token);
        time.Advance(TimeSpan.FromSeconds(600));

        // Livy forgets dead records after state-retain.sec (and does not even recover dead batches).
        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/batches/{id}");
        Assert.True(status == 404, $"the dead batch is still there 600 s later: {body?.ToJsonString()}");
    }
}
