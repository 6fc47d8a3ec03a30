namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>A job that leaves a process behind: YARN ends a container's processes with it.</summary>
public sealed class BatchLeftoverProcessTests
{
    [Fact]
    public async Task Batch_LeavesABackgroundProcess_EndsPromptlyAndTheProcessIsKilled()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Process groups are ended through setsid, which is Linux's.");
        await using var livy = await LivyTestServer.StartAsync();
        const string Script = "import subprocess\nchild = subprocess.Popen(['sleep', '300'])\nprint(f'pid {child.pid}', flush=True)\n";
        var id = await livy.RunBatchToEndAsync("leaves_child.py", Script, "success");
        var child = await livy.WaitForPidAsync(id);

        // The batch ended as soon as its own process did; the leftover was killed with it (it may
        // linger a moment as a zombie until init reaps it, but it no longer runs).
        Assert.False(Runs(child), $"the batch's leftover process {child} is still running");
    }

    private static bool Runs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
