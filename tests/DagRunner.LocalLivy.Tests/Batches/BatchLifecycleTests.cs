using System.Text.Json;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>A batch from POST to its end (reference §1.4, §2.4): the created object, arguments,
/// exit codes, the merged log, the state route, pyFiles, a missing file and DELETE.</summary>
public sealed class BatchLifecycleTests
{
    [Fact]
    public async Task Create_PythonFile_Answers201WithLocationAndStartingBatch()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("job.py", "print('hi')\n");

        var (status, body, response) = await livy.PostAsync("/batches", new { file = "local:///job.py" });

        Assert.Equal(201, status);
        Assert.Equal("/batches/0", response.Headers.Location?.OriginalString);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var batch = Assert.IsType<JsonObject>(body);
        Assert.Equal(["id", "name", "owner", "proxyUser", "state", "appId", "appInfo", "log"], batch.Select(p => p.Key));
        Assert.Equal(0, (int)batch["id"]!);
        Assert.Null(batch["name"]);
        Assert.Null(batch["owner"]);
        Assert.Null(batch["proxyUser"]);
        Assert.Equal("starting", (string?)batch["state"]);
        Assert.Null(batch["appId"]);
        var appInfo = Assert.IsType<JsonObject>(batch["appInfo"]);
        Assert.NotEmpty(appInfo);
        Assert.All(appInfo, p => Assert.Null(p.Value));
        Assert.Contains("driverLogUrl", appInfo.Select(p => p.Key));
        Assert.Contains("sparkUiUrl", appInfo.Select(p => p.Key));
        Assert.Equal(JsonValueKind.Array, batch["log"]!.GetValueKind());

        await livy.WaitForBatchAsync(0, "success");
    }

    [Fact]
    public async Task Create_ArgsWithSpacesQuotesAndUnicode_ArePassedExactlyAsGiven()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("argv.py", BatchKit.ArgvScript);
        string[] args = ["two words", "say \"hi\"", "it's", "back\\slash", "ünïcödé ✓ 日本語 🚀", "", "--flag=a b", "$HOME", "*", "; rm -rf x"];

        var id = await livy.CreateBatchAsync(new { file = "local:///argv.py", args });
        await livy.WaitForBatchAsync(id, "success");

        var line = Assert.Single(await livy.FullLogAsync(id), l => l.StartsWith("ARGV ", StringComparison.Ordinal));
        var received = JsonSerializer.Deserialize<string[]>(line["ARGV ".Length..]);
        Assert.Equal(args, received);
    }

    [Fact]
    public async Task Batch_ScriptExitsZero_EndsSuccessWithAppId()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("ok.py", "print('done')\n");

        var batch = await livy.GetJsonAsync($"/batches/{id}");
        Assert.Equal("success", (string?)batch["state"]);
        var appId = (string?)batch["appId"];
        Assert.StartsWith("application_", appId, StringComparison.Ordinal);
        var app = await livy.GetJsonAsync($"/ws/v1/cluster/apps/{appId}");
        Assert.Equal("FINISHED", (string?)app["app"]!["state"]);
        Assert.Equal("SUCCEEDED", (string?)app["app"]!["finalStatus"]);
    }

    [Fact]
    public async Task Batch_ScriptExitsTwo_EndsDeadWithYarnDiagnostics()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("fail.py", "import sys\nprint('failing')\nsys.exit(2)\n");

        var batch = await livy.GetJsonAsync($"/batches/{id}");
        Assert.Equal("dead", (string?)batch["state"]);
        var log = await livy.FullLogAsync(id);
        var diagnostics = log.IndexOf("\nYARN Diagnostics: ");
        Assert.True(diagnostics >= 0);
        Assert.Contains(log.Skip(diagnostics + 1), l => l.Contains("exited with status 2", StringComparison.Ordinal));
        var app = await livy.GetJsonAsync($"/ws/v1/cluster/apps/{(string?)batch["appId"]}");
        Assert.Equal("FAILED", (string?)app["app"]!["finalStatus"]);
    }

    [Fact]
    public async Task Log_StdoutAndStderr_BothAppearInStdoutBlockWithLivyMarkers()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("streams.py",
            "import sys\nprint('to-stdout-1', flush=True)\nprint('to-stderr-1', file=sys.stderr, flush=True)\nprint('to-stdout-2', flush=True)\n", "success");

        var log = await livy.FullLogAsync(id);

        Assert.Equal("stdout: ", log[0]);
        var stderr = log.IndexOf("\nstderr: ");
        var yarn = log.IndexOf("\nYARN Diagnostics: ");
        Assert.True(stderr > 0, string.Join(" | ", log));
        Assert.True(yarn > stderr, string.Join(" | ", log));
        var stdoutBlock = log.Take(stderr).ToList();
        Assert.Contains("to-stdout-1", stdoutBlock);
        Assert.Contains("to-stdout-2", stdoutBlock);
        Assert.Contains("to-stderr-1", stdoutBlock);
        // Livy merges the streams (redirectErrorStream), so the stderr block is empty.
        Assert.Equal(stderr + 1, yarn);
    }

    [Fact]
    public async Task AppInfo_RunningBatch_HasUrls_SucceededBatch_DropsDriverLogUrl()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("wait.py", BatchKit.ReleaseScript);
        var id = await livy.CreateBatchAsync(new { file = "local:///wait.py", args = new[] { livy.Jobs["release"] } });
        await livy.WaitForPidAsync(id);

        var running = (await livy.GetJsonAsync($"/batches/{id}"))["appInfo"]!;
        Assert.NotNull((string?)running["driverLogUrl"]);
        Assert.NotNull((string?)running["sparkUiUrl"]);

        livy.Jobs.Write("release", "");
        var done = await livy.WaitForBatchAsync(id, "success");

        // Livy 0.9 (LIVY-991, reference §1.7 and §8.2): once the app FINISHED, driverLogUrl is null again;
        // sparkUiUrl (the YARN tracking URL) stays.
        Assert.Null((string?)done["appInfo"]!["driverLogUrl"]);
        Assert.NotNull((string?)done["appInfo"]!["sparkUiUrl"]);
    }

    [Fact]
    public async Task State_FinishedBatch_AnswersIdAndStateOnly()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.RunBatchToEndAsync("ok.py", "pass\n", "success");

        var state = Assert.IsType<JsonObject>(await livy.GetJsonAsync($"/batches/{id}/state"));

        Assert.Equal(["id", "state"], state.Select(p => p.Key));
        Assert.Equal(id, (int)state["id"]!);
        Assert.Equal("success", (string?)state["state"]);
    }

    [Fact]
    public async Task Create_WithPyFiles_MakesModuleImportable()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("lib/helper.py", "def greet():\n    return 'hello from helper'\n");
        livy.Jobs.Write("main.py", "import helper\nprint(helper.greet())\n");

        var with = await livy.CreateBatchAsync(new { file = "local:///main.py", pyFiles = new[] { "local:///lib/helper.py" } });
        var without = await livy.CreateBatchAsync(new { file = "local:///main.py" });

        Assert.Equal("success", (string?)(await livy.WaitForBatchAsync(with, "success", "dead"))["state"]);
        Assert.Contains("hello from helper", await livy.FullLogAsync(with));
        // The control: the module is only importable because of pyFiles.
        Assert.Equal("dead", (string?)(await livy.WaitForBatchAsync(without, "success", "dead"))["state"]);
    }

    [Fact]
    public async Task Create_FileMissingOnDisk_BatchDeadWithoutAppId()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var id = await livy.CreateBatchAsync(new { file = "local:///not-there.py" });
        var batch = await livy.WaitForBatchAsync(id, "success", "dead", "killed");

        Assert.Equal("dead", (string?)batch["state"]);
        Assert.Null(batch["appId"]);
        var log = await livy.FullLogAsync(id);
        Assert.Contains(log, l => l.Contains("not-there.py", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_RunningBatch_KillsProcessForgetsRecordAndYarnSaysKilled()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("sleep.py", BatchKit.SleepScript);
        var id = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        var pid = await livy.WaitForPidAsync(id);
        var running = await livy.GetJsonAsync($"/batches/{id}");
        Assert.Equal("running", (string?)running["state"]);
        var appId = (string)running["appId"]!;
        Assert.True(BatchKit.IsRunning(pid));

        var (status, body, _) = await livy.SendAsync(HttpMethod.Delete, $"/batches/{id}");

        Assert.Equal(200, status);
        BatchKit.AssertMsg(body, "deleted");
        Assert.False(BatchKit.IsRunning(pid), $"process {pid} still runs after DELETE");
        var (after, afterBody, _) = await livy.SendAsync(HttpMethod.Get, $"/batches/{id}");
        Assert.Equal(404, after);
        BatchKit.AssertMsg(afterBody, $"Session '{id}' not found.");
        var app = await livy.WaitForYarnStateAsync(appId, "KILLED");
        Assert.Equal("KILLED", (string?)app["app"]!["finalStatus"]);
    }
}
