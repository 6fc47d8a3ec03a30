using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Shapes;

/// <summary>Our real answers against the real payload samples of reference §9 (Fixtures/*.json):
/// every field a sample has must be in ours with the same JSON kind.</summary>
public sealed class WireShapeTests
{
    // Fields of the real samples that LocalLivy leaves out on purpose, each with the reason.
    private static readonly string[] SparkAttemptAllowMissing =
    [
        // Event-log source fields of the newest Spark master's History Server (S14); the server
        // reports Spark 3.5.1, which has no such fields. exitCode, which clients read, is there.
        "$.attempts[0].logSourceFullPath",
        "$.attempts[0].logSourceName",
    ];

    [Fact]
    public async Task Batch_Yarn_Spark_AnswersHaveTheRealShapes()
    {
        await using var livy = await LivyTestServer.StartAsync();

        // S4: the empty lists (batches are listed under "sessions" too).
        JsonShape.AssertMatches("livy-session-list-empty.json", await livy.GetJsonAsync("/sessions"));
        JsonShape.AssertMatches("livy-session-list-empty.json", await livy.GetJsonAsync("/batches"));

        // Derived 0.9 batch-create shape: the 201 body.
        var created = await livy.SubmitPythonAsync("print('hello from the batch')\n");
        JsonShape.AssertMatches("livy-batch-create.json", created);
        Assert.Equal("starting", (string?)created["state"]);
        var id = (int)created["id"]!;

        var batch = await livy.WaitForBatchAsync(id, "success");
        JsonShape.AssertMatches("livy-log.json", await livy.GetJsonAsync($"/batches/{id}/log"));
        var appId = (string)batch["appId"]!;

        // S15, S16, S17: the RM's app, its state and its 404.
        var yarnApp = await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}");
        JsonShape.AssertMatches("yarn-app-finished.json", yarnApp);
        JsonShape.AssertMatches("yarn-app-state-accepted.json", await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}/state"));
        var (status, notFound, _) = await livy.SendAsync(HttpMethod.Get, "/ws/v1/cluster/apps/application_00000_0099");
        Assert.Equal(404, status);
        JsonShape.AssertMatches("yarn-app-not-found.json", notFound);

        // S11, S13, S14: Spark's job list and application. Our attempts always carry attemptId "1"
        // (every app runs as a YARN cluster-mode app), so S13's attemptId is matched, not allowed.
        JsonShape.AssertMatches("spark-job-list.json", await livy.GetJsonAsync($"/api/v1/applications/{appId}/jobs"));
        var sparkApp = await livy.GetJsonAsync($"/api/v1/applications/{appId}");
        JsonShape.AssertMatches("spark-app-exit-code.json", sparkApp, SparkAttemptAllowMissing);
        JsonShape.AssertMatches("spark-app-multi-attempt.json", sparkApp);
        Assert.Equal("1", (string?)sparkApp["attempts"]![0]!["attemptId"]);

        // S12: a running app in the application list.
        var running = await livy.SubmitPythonAsync("import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n");
        var runningBatch = await livy.WaitForBatchAsync((int)running["id"]!, "running");
        var runningAppId = (string)runningBatch["appId"]!;
        // S3 once the app id is known (the sample's appId and appInfo are strings; Livy 0.9 drops
        // driverLogUrl again once an app has succeeded, so a running batch is the one to compare).
        JsonShape.AssertMatches("livy-batch-starting.json", runningBatch);
        var runningApps = (await livy.GetJsonAsync("/api/v1/applications?status=running")).AsArray();
        var runningApp = Assert.Single(runningApps, a => (string?)a!["id"] == runningAppId);
        JsonShape.AssertMatches("spark-running-app.json", runningApp);
        Assert.Equal("1", (string?)runningApp!["attempts"]![0]!["attemptId"]);
        Assert.False((bool)runningApp["attempts"]![0]!["completed"]!);
        Assert.Equal(-1L, (long)runningApp["attempts"]![0]!["endTimeEpoch"]!);

        // S10: DELETE's message.
        var (deleteStatus, deleted, _) = await livy.SendAsync(HttpMethod.Delete, $"/batches/{(int)running["id"]!}");
        Assert.Equal(200, deleteStatus);
        JsonShape.AssertMatches("livy-msg-deleted.json", deleted);
        var killed = await livy.PollAsync($"/ws/v1/cluster/apps/{runningAppId}/state", s => (string?)s["state"] == "KILLED");
        JsonShape.AssertMatches("yarn-app-state-killed.json", killed);
    }

    [Fact]
    public async Task Session_And_Statements_AnswersHaveTheRealShapes()
    {
        await using var livy = await LivyTestServer.StartAsync();

        // S1 and the derived 0.9 session-create shape: the 201 body.
        var (status, created, _) = await livy.PostAsync("/sessions", new { kind = "pyspark" });
        Assert.Equal(201, status);
        JsonShape.AssertMatches("livy-session-create.json", created);
        JsonShape.AssertMatches("livy-session-starting.json", created);
        var session = (int)created!["id"]!;

        // S2: idle, with appId and appInfo URLs.
        var idle = await livy.WaitForSessionAsync(session, "idle");
        JsonShape.AssertMatches("livy-session-idle-yarn.json", idle);

        // Derived statement shape right after POST, then S5 and S6 once it ran.
        var (postStatus, waiting, _) = await livy.PostAsync($"/sessions/{session}/statements", new { code = "1 + 2" });
        Assert.Equal(201, postStatus);
        JsonShape.AssertMatches("livy-statement-waiting.json", waiting);
        var done = await livy.WaitForStatementAsync(session, (int)waiting!["id"]!);
        JsonShape.AssertMatches("livy-statement-available.json", done);
        JsonShape.AssertMatches("livy-statement-python-ok.json", done["output"]);

        // S7: code that raises.
        var failed = await livy.RunAsync(session, "def func1():\n    raise Exception('message')\ndef func2():\n    func1()\nfunc2()");
        JsonShape.AssertMatches("livy-statement-python-error.json", failed["output"]);
        Assert.Equal("Exception", (string?)failed["output"]!["ename"]);
        Assert.Equal("message", (string?)failed["output"]!["evalue"]);

        // S8: the %table magic.
        var table = await livy.RunAsync(session, "rows = [[1, 'a'], [3, 'b']]\n%table rows");
        JsonShape.AssertMatches("livy-statement-table.json", table["output"]);

        // S10: cancel's message and the 404 message.
        var (cancelStatus, canceled, _) = await livy.PostAsync($"/sessions/{session}/statements/0/cancel", "{}");
        Assert.Equal(200, cancelStatus);
        JsonShape.AssertMatches("livy-msg-canceled.json", canceled);
        var (missingStatus, missing, _) = await livy.SendAsync(HttpMethod.Get, "/sessions/8");
        Assert.Equal(404, missingStatus);
        JsonShape.AssertMatches("livy-msg-not-found.json", missing);
        Assert.Equal("Session '8' not found.", (string?)missing!["msg"]);
    }

    [Fact]
    public async Task WebHdfs_AnswersHaveTheRealShapes()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var root = livy.Server.HdfsRoot;
        Directory.CreateDirectory(Path.Join(root, "data"));
        File.WriteAllText(Path.Join(root, "data", "part-0000"), "some bytes");

        // S18: a directory's status. Hadoop writes snapshotEnabled only for a snapshottable
        // directory (JsonUtil.toJsonMap), which a local folder never is, so ours leaves it out.
        JsonShape.AssertMatches("webhdfs-filestatus-dir.json", await livy.GetJsonAsync("/webhdfs/v1/data?op=GETFILESTATUS"),
            "$.FileStatus.snapshotEnabled");

        // S19: listing a file.
        JsonShape.AssertMatches("webhdfs-liststatus-file.json", await livy.GetJsonAsync("/webhdfs/v1/data/part-0000?op=LISTSTATUS"));

        // S20: the 404.
        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, "/webhdfs/v1/foo/a.patch?op=GETFILESTATUS");
        Assert.Equal(404, status);
        JsonShape.AssertMatches("webhdfs-not-found.json", body);
    }
}
