using System.Globalization;
using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.LocalLivy.Tests.Sessions;

namespace DagRunner.LocalLivy.Tests.Containment;

/// <summary>User code that kills its parent process (<c>os.kill(os.getppid(), 9)</c>) reaches a
/// launcher, not the server (here the test process itself): the server keeps answering, the job
/// ends with it, and the session or batch is <c>dead</c> with the reason in its log.</summary>
public sealed class ParentKillTests
{
    private const string KillParent = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)";

    [Fact]
    public async Task SessionStatement_KillsItsParent_ServerStaysUp_SessionEndsDeadWithTheReason()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.StartSessionAsync();
        var interpreter = await livy.InterpreterPidAsync(id);
        // Checked first, so that without the launcher this fails here rather than killing the test run.
        Assert.NotEqual(Environment.ProcessId, ParentOf(interpreter));

        var statement = await livy.SubmitAsync(id, KillParent + "\nimport time\ntime.sleep(60)");

        var session = await livy.WaitForSessionAsync(id, "dead");
        Assert.False(await SessionTestKit.OutlivesAsync(interpreter), "the interpreter outlived its launcher");
        var log = await livy.LogAsync(id);
        Assert.Contains(log, l => l.Contains("parent process (LocalLivy's launcher) was killed", StringComparison.Ordinal));
        var app = await livy.YarnAppAsync((string)session["appId"]!);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        Assert.Contains("launcher", (string?)app["diagnostics"], StringComparison.Ordinal);
        // A dead session's statements answer as Livy's do; the server answers everything else.
        Assert.Equal(400, (await livy.SendAsync(HttpMethod.Get, $"/sessions/{id}/statements/{statement}")).Status);
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/version")).Status);
        var next = await livy.StartSessionAsync();
        Assert.Equal("2", SessionTestKit.Text(await livy.RunAsync(next, "1 + 1")));
    }

    [Fact]
    public async Task Session_ParentKilledBetweenStatements_SessionEndsDeadWithTheReason()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var id = await livy.StartSessionAsync();
        var interpreter = await livy.InterpreterPidAsync(id);

        // The statement completes; a thread it left kills the launcher a moment later.
        var done = await livy.RunAsync(id, "import os, signal, threading\nthreading.Timer(0.2, lambda: os.kill(os.getppid(), signal.SIGKILL)).start()\n'armed'");
        Assert.Equal("'armed'", SessionTestKit.Text(done));

        await livy.WaitForSessionAsync(id, "dead");
        Assert.False(await SessionTestKit.OutlivesAsync(interpreter), "the interpreter outlived its launcher");
        Assert.Contains(await livy.LogAsync(id), l => l.Contains("parent process (LocalLivy's launcher) was killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_KillsItsParent_ServerStaysUp_BatchEndsDeadWithTheReason()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var marker = $"kills_parent_{Guid.NewGuid():N}.py";
        livy.Jobs.Write(marker,
            "import os, signal, time\n" +
            "print('parent', os.getppid(), flush=True)\n" +
            $"if os.getppid() != {Environment.ProcessId}:\n" +
            "    os.kill(os.getppid(), signal.SIGKILL)\n" +
            "time.sleep(60)\n");

        var id = await livy.CreateBatchAsync(new { file = "local:///" + marker });
        var batch = await livy.WaitForBatchAsync(id, "success", "dead", "killed");

        var log = await livy.FullLogAsync(id);
        Assert.DoesNotContain($"parent {Environment.ProcessId}", log);
        Assert.Equal("dead", (string?)batch["state"]);
        Assert.Contains(log, l => l.Contains("parent process (LocalLivy's launcher) was killed", StringComparison.Ordinal));
        var app = await livy.YarnAppAsync((string)batch["appId"]!);
        Assert.Equal("FAILED", (string?)app["finalStatus"]);
        Assert.Contains("launcher", (string?)app["diagnostics"], StringComparison.Ordinal);
        // The job ended with its launcher, at once rather than after its minute of sleep.
        Assert.Empty(ProcessTable.Running(marker));
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/batches")).Status);
    }

    [Fact]
    public async Task Batch_KilledItself_ReportsItsOwnExitStatus_NotTheLauncher()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var id = await livy.RunBatchToEndAsync("kills_itself.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "dead");

        var batch = await livy.GetJsonAsync($"/batches/{id}");
        var app = await livy.YarnAppAsync((string)batch["appId"]!);
        Assert.Equal("User application exited with status 137", (string?)app["diagnostics"]);
        Assert.DoesNotContain(await livy.FullLogAsync(id), l => l.Contains("launcher", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_ExitCode_IsTheJobs()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var id = await livy.RunBatchToEndAsync("exits_3.py", "import sys\nprint('bye')\nsys.exit(3)\n", "dead");

        var app = await livy.YarnAppAsync((string)(await livy.GetJsonAsync($"/batches/{id}"))["appId"]!);
        Assert.Equal("User application exited with status 3", (string?)app["diagnostics"]);
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
