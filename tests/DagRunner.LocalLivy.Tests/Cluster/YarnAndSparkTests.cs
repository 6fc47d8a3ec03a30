using System.Globalization;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Cluster;

/// <summary>The YARN ResourceManager and Spark monitoring APIs over real python batches
/// (reference §2.4, §2.5, §4, §5).</summary>
public sealed class YarnAndSparkTests
{
    private const string Sleeper = "import os, sys, time\nprint(f'pid={os.getpid()}', flush=True)\ntime.sleep(60)\n";

    [Fact]
    public async Task BatchExitingZero_YarnFinishedSucceeded_OneSparkJobSucceeded_ExitCodeZero()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var batch = await livy.RunPythonAsync("print('all good')\n");
        Assert.Equal("success", (string?)batch["state"]);
        var appId = (string)batch["appId"]!;

        var app = await livy.YarnAppAsync(appId);
        Assert.Equal(appId, (string?)app["id"]);
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.Equal("SUCCEEDED", (string?)app["finalStatus"]);
        Assert.Equal("", (string?)app["diagnostics"]);
        Assert.Equal("SPARK", (string?)app["applicationType"]);
        Assert.Equal("History", (string?)app["trackingUI"]);
        Assert.Equal(100, (double)app["progress"]!);
        Assert.True((long)app["finishedTime"]! >= (long)app["startedTime"]!);
        Assert.Equal("FINISHED", (string?)(await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}/state"))["state"]);

        var job = Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs")).AsArray());
        Assert.Equal("SUCCEEDED", (string?)job!["status"]);
        var attempt = Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}"))["attempts"]!.AsArray());
        Assert.Equal(0, (int)attempt!["exitCode"]!);
        Assert.True((bool)attempt["completed"]!);
    }

    [Fact]
    public async Task BatchExitingThree_LivyDead_YarnFinishedFailed_SparkJobFailed()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var batch = await livy.RunPythonAsync("import sys\nprint('giving up')\nsys.exit(3)\n");
        Assert.Equal("dead", (string?)batch["state"]);
        var appId = (string)batch["appId"]!;

        var app = await livy.YarnAppAsync(appId);
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        Assert.Equal("User application exited with status 3", (string?)app["diagnostics"]);

        var job = Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs")).AsArray());
        Assert.Equal("FAILED", (string?)job!["status"]);
        Assert.Equal("FAILED", (string?)Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs?status=failed")).AsArray())!["status"]);
        Assert.Empty((await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs?status=succeeded")).AsArray());
        var attempt = Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}"))["attempts"]!.AsArray());
        Assert.Equal(3, (int)attempt!["exitCode"]!);

        // Livy's log carries the YARN diagnostics after its marker.
        var log = (await livy.GetJsonAsync($"/batches/{(int)batch["id"]!}/log"))["log"]!.AsArray().Select(l => (string?)l).ToList();
        Assert.Contains("giving up", log);
        Assert.Equal("User application exited with status 3", log[log.IndexOf("\nYARN Diagnostics: ") + 1]);
    }

    [Theory]
    [InlineData(false, null, "dead")]
    [InlineData(true, null, "success")]
    [InlineData(false, "true", "success")]
    [InlineData(true, "false", "dead")]
    public async Task ClusterModeQuirk_OnlyLivyLies_YarnAndSparkTellTheTruth(bool serverOption, string? confValue, string expectedLivyState)
    {
        await using var livy = await LivyTestServer.StartAsync(o => o.ClusterModeQuirk = serverOption);
        var conf = confValue is null ? null : new Dictionary<string, string> { ["livy.local.cluster-mode-quirk"] = confValue };
        var batch = await livy.RunPythonAsync("import sys\nsys.exit(3)\n", conf);
        Assert.Equal(expectedLivyState, (string?)batch["state"]);

        var appId = (string)batch["appId"]!;
        var app = await livy.YarnAppAsync(appId);
        Assert.Equal("FINISHED", (string?)app["state"]);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        Assert.Equal("User application exited with status 3", (string?)app["diagnostics"]);
        var job = Assert.Single((await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs")).AsArray());
        Assert.Equal("FAILED", (string?)job!["status"]);
    }

    [Fact]
    public async Task AppsQuery_FindsTheAppByTheUsersOwnLowerCasedTag_AndAnswersAppsNullWhenNothingMatches()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var conf = new Dictionary<string, string> { ["spark.yarn.tags"] = "DagRun-Run42-Task7, Other-Tag" };
        var batch = await livy.RunPythonAsync("print('tagged')\n", conf);
        var appId = (string)batch["appId"]!;
        await livy.RunPythonAsync("print('untagged')\n");

        foreach (var query in new[] { "dagrun-run42-task7", "DAGRUN-RUN42-TASK7", "other-tag", "nope,dagrun-run42-task7" })
        {
            var apps = (await livy.GetJsonAsync($"/ws/v1/cluster/apps?applicationTags={Uri.EscapeDataString(query)}"))["apps"]!["app"]!.AsArray();
            var app = Assert.Single(apps);
            Assert.Equal(appId, (string?)app!["id"]);
            var tags = ((string)app["applicationTags"]!).Split(',');
            Assert.Contains("dagrun-run42-task7", tags);
            Assert.Contains("other-tag", tags);
            Assert.Contains(tags, t => t.StartsWith("livy-batch-0-", StringComparison.Ordinal));
        }

        // Livy's own tag finds it too; filters combine.
        var livyTag = ((string)(await livy.YarnAppAsync(appId))["applicationTags"]!).Split(',')[0];
        Assert.Equal(appId, (string?)(await livy.GetJsonAsync($"/ws/v1/cluster/apps?applicationTags={livyTag}&states=FINISHED&applicationTypes=SPARK"))["apps"]!["app"]![0]!["id"]);

        var (status, text, response) = await livy.Http.SendTextAsync(HttpMethod.Get, "/ws/v1/cluster/apps?applicationTags=no-such-tag");
        Assert.Equal(200, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var empty = LivyTestHelpers.Json(text).AsObject();
        Assert.True(empty.TryGetPropertyValue("apps", out var apps0) && apps0 is null, $"expected {{\"apps\":null}}, got {text}");
        Assert.Single(empty);

        var noMatchingState = (await livy.GetJsonAsync("/ws/v1/cluster/apps?applicationTags=dagrun-run42-task7&states=RUNNING")).AsObject();
        Assert.True(noMatchingState.TryGetPropertyValue("apps", out var apps1) && apps1 is null);
    }

    [Fact]
    public async Task UnknownApp_Is404NotFoundException()
    {
        await using var livy = await LivyTestServer.StartAsync();
        foreach (var path in new[] { "/ws/v1/cluster/apps/application_1_0099", "/ws/v1/cluster/apps/application_1_0099/state" })
        {
            var (status, body, _) = await livy.SendAsync(HttpMethod.Get, path);
            Assert.Equal(404, status);
            var error = body!["RemoteException"]!;
            Assert.Equal("NotFoundException", (string?)error["exception"]);
            Assert.Equal("org.apache.hadoop.yarn.webapp.NotFoundException", (string?)error["javaClassName"]);
            Assert.Equal("java.lang.Exception: app with id: application_1_0099 not found", (string?)error["message"]);
        }

        var (killStatus, killBody, _) = await livy.SendAsync(HttpMethod.Put, "/ws/v1/cluster/apps/application_1_0099/state?user.name=me", """{"state":"KILLED"}""");
        Assert.Equal(404, killStatus);
        Assert.Equal("NotFoundException", (string?)killBody!["RemoteException"]!["exception"]);
    }

    [Theory]
    [InlineData("not-an-app")]
    [InlineData("application_123")]
    [InlineData("application_1_2_3")]
    [InlineData("application_abc_0001")]
    [InlineData("application_1_x")]
    public async Task MalformedAppId_Is400BadRequestException(string appId)
    {
        await using var livy = await LivyTestServer.StartAsync();
        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, $"/ws/v1/cluster/apps/{appId}");
        Assert.Equal(400, status);
        Assert.Equal("BadRequestException", (string?)body!["RemoteException"]!["exception"]);
        Assert.Equal("org.apache.hadoop.yarn.webapp.BadRequestException", (string?)body["RemoteException"]!["javaClassName"]);
    }

    [Fact]
    public async Task PutStateKilled_KillsRunningBatches_AfterRefusingNoUserAndOtherTargets()
    {
        await using var livy = await LivyTestServer.StartAsync();
        // Three sleepers, killed at the same time: the answer must be the final one for each.
        var batches = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSleeperAsync(livy)));
        var (_, appId, _) = batches[0];

        // No user: AuthorizationException; another target: BadRequestException. Neither kills.
        var (noUser, noUserBody, _) = await livy.SendAsync(HttpMethod.Put, $"/ws/v1/cluster/apps/{appId}/state", """{"state":"KILLED"}""");
        Assert.Equal(403, noUser);
        Assert.Equal("AuthorizationException", (string?)noUserBody!["RemoteException"]!["exception"]);
        var (running, runningBody, _) = await livy.SendAsync(HttpMethod.Put, $"/ws/v1/cluster/apps/{appId}/state?user.name=me", """{"state":"RUNNING"}""");
        Assert.Equal(400, running);
        Assert.Equal("BadRequestException", (string?)runningBody!["RemoteException"]!["exception"]);
        Assert.Equal("java.lang.Exception: Only 'KILLED' is allowed as a target state.", (string?)runningBody["RemoteException"]!["message"]);
        Assert.Equal("running", (string?)(await livy.GetJsonAsync($"/batches/{batches[0].Id}"))["state"]);
        Assert.Equal("RUNNING", (string?)(await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}/state"))["state"]);

        // The kill waits for the process, so its answer is the final one: 200 {"state":"KILLED"},
        // not a 202 still saying RUNNING about a process that is already gone.
        var kills = await Task.WhenAll(batches.Select(b =>
            livy.SendAsync(HttpMethod.Put, $"/ws/v1/cluster/apps/{b.AppId}/state?user.name=me", """{"state":"KILLED"}""")));
        foreach (var ((status, body, _), (id, killedAppId, pid)) in kills.Zip(batches))
        {
            Assert.True(status == 200 && (string?)body!["state"] == "KILLED", $"PUT KILLED on {killedAppId} answered {status} {body?.ToJsonString()}");
            var app = await livy.YarnAppAsync(killedAppId);
            Assert.Equal("KILLED", (string?)app["state"]);
            Assert.Equal("KILLED", (string?)app["finalStatus"]);
            var batch = await livy.WaitForBatchAsync(id, LivyTestHelpers.FinalBatchStates);
            Assert.Equal("killed", (string?)batch["state"]);
            AssertProcessGone(pid);
        }

        // Killing a killed app again is answered 200 KILLED too.
        var (again, againBody, _) = await livy.SendAsync(HttpMethod.Put, $"/ws/v1/cluster/apps/{appId}/state?user.name=me", """{"state":"KILLED"}""");
        Assert.Equal(200, again);
        Assert.Equal("KILLED", (string?)againBody!["state"]);
    }

    /// <summary>Starts a batch that prints its pid and sleeps 60 s; returns once it printed.</summary>
    private static async Task<(int Id, string AppId, int Pid)> StartSleeperAsync(LivyTestServer livy)
    {
        var id = (int)(await livy.SubmitPythonAsync(Sleeper))["id"]!;
        static string? PidLine(JsonNode log) =>
            log["log"]!.AsArray().Select(l => (string?)l).FirstOrDefault(l => l!.StartsWith("pid=", StringComparison.Ordinal));
        var log = await livy.PollAsync($"/batches/{id}/log", l => PidLine(l) is not null);
        var pid = int.Parse(PidLine(log)!["pid=".Length..], CultureInfo.InvariantCulture);
        var appId = (string)(await livy.GetJsonAsync($"/batches/{id}"))["appId"]!;
        return (id, appId, pid);
    }

    [Fact]
    public async Task DeleteBatch_LeavesTheYarnAppKilled_WhenDeleteAnswers()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var created = await livy.SubmitPythonAsync(Sleeper);
        var id = (int)created["id"]!;
        var batch = await livy.WaitForBatchAsync(id, "running");
        var appId = (string)batch["appId"]!;

        var (status, _, _) = await livy.SendAsync(HttpMethod.Delete, $"/batches/{id}");
        Assert.Equal(200, status);
        // Livy's DELETE is synchronous: it returns once YARN has killed the app (reference §1.4).
        var app = await livy.YarnAppAsync(appId);
        Assert.Equal("KILLED", (string?)app["state"]);
        Assert.Equal("KILLED", (string?)app["finalStatus"]);
        Assert.Equal(404, (await livy.SendAsync(HttpMethod.Get, $"/batches/{id}")).Status);
    }

    [Fact]
    public async Task SparkApi_WorksBehindTheProxyUrl_AndWithAttemptId_AndSays404TextForUnknownApps()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var batch = await livy.RunPythonAsync("print('spark api')\n");
        var appId = (string)batch["appId"]!;
        var sparkUiUrl = (string)batch["appInfo"]!["sparkUiUrl"]!;
        Assert.EndsWith($"/proxy/{appId}/", sparkUiUrl, StringComparison.Ordinal);

        var direct = await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs");
        var proxied = await livy.GetJsonAsync(sparkUiUrl + $"api/v1/applications/{appId}/jobs");
        var withAttempt = await livy.GetJsonAsync($"/api/v1/applications/{appId}/1/jobs");
        var proxiedWithAttempt = await livy.GetJsonAsync(sparkUiUrl + $"api/v1/applications/{appId}/1/jobs");
        Assert.Equal("SUCCEEDED", (string?)Assert.Single(direct.AsArray())!["status"]);
        Assert.Equal(direct.ToJsonString(), proxied.ToJsonString());
        Assert.Equal(direct.ToJsonString(), withAttempt.ToJsonString());
        Assert.Equal(direct.ToJsonString(), proxiedWithAttempt.ToJsonString());
        Assert.Equal(appId, (string?)(await livy.GetJsonAsync(sparkUiUrl + $"api/v1/applications/{appId}"))["id"]);
        Assert.Equal("SUCCEEDED", (string?)(await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs/0"))["status"]);

        foreach (var (path, message) in new[]
        {
            ("/api/v1/applications/application_1_0099/jobs", "no such app: application_1_0099"),
            ("/api/v1/applications/application_1_0099", "no such app: application_1_0099"),
            (sparkUiUrl + "api/v1/applications/application_1_0099/jobs", "no such app: application_1_0099"),
            ($"/api/v1/applications/{appId}/2/jobs", $"no such app: {appId}/2"),
            ($"/api/v1/applications/{appId}/jobs/7", "unknown job: 7"),
        })
        {
            var (status, text, response) = await livy.Http.SendTextAsync(HttpMethod.Get, path);
            Assert.Equal(404, status);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(message, text);
        }
    }

    [Fact]
    public async Task DriverLogUrl_ServesTheBatchsFullOutput_AsText()
    {
        // Livy keeps 5 lines per stream here; the container log keeps everything.
        await using var livy = await LivyTestServer.StartAsync(o => o.LogLines = 5);
        var batch = await livy.RunPythonAsync("import sys\nfor i in range(40):\n    print(f'line {i}')\nprint('to stderr', file=sys.stderr)\n");
        Assert.Equal("success", (string?)batch["state"]);
        // Livy 0.9 drops driverLogUrl once the app succeeded; YARN keeps the same page as amContainerLogs.
        Assert.Null(batch["appInfo"]!["driverLogUrl"]);
        var yarnApp = await livy.GetJsonAsync($"/ws/v1/cluster/apps/{(string)batch["appId"]!}");
        var driverLogUrl = (string)yarnApp["app"]!["amContainerLogs"]!;
        Assert.Contains("/node/containerlogs/container_", driverLogUrl, StringComparison.Ordinal);

        var (status, text, response) = await livy.Http.SendTextAsync(HttpMethod.Get, driverLogUrl);
        Assert.Equal(200, status);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"line {i}").ToList(), lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList());
        Assert.Contains("to stderr", lines);

        // Livy's own log only has the rolling tail.
        var livyLog = (await livy.GetJsonAsync($"/batches/{(int)batch["id"]!}/log?size=-1"))["log"]!.AsArray().Select(l => (string?)l).ToList();
        Assert.DoesNotContain("line 0", livyLog);
        Assert.Contains("line 39", livyLog);

        var (missing, _, _) = await livy.Http.SendTextAsync(HttpMethod.Get, "/node/containerlogs/container_1_0099_01_000001/livy");
        Assert.Equal(404, missing);
    }

    // A zombie is gone too: the job ends together with its launcher, and waits for init to reap it.
    private static void AssertProcessGone(int pid) =>
        Assert.False(Batches.BatchKit.IsRunning(pid), $"process {pid} still runs");
}
