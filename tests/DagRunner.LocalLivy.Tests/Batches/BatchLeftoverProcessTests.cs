using System.Diagnostics;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>A job that leaves a process behind, holding its output pipes open.</summary>
public sealed class BatchLeftoverProcessTests
{
    [Fact]
    public async Task Batch_LeavesABackgroundProcess_StillEndsWithItsOwnProcess()
    {
        await using var livy = await LivyTestServer.StartAsync();
        const string Script = "import subprocess\nchild = subprocess.Popen(['sleep', '300'])\nprint(f'pid {child.pid}', flush=True)\n";
        livy.Jobs.Write("leaves_child.py", Script);
        var id = await livy.CreateBatchAsync(new { file = "local:///leaves_child.py" });
        var child = await livy.WaitForPidAsync(id);
        try
        {
            // The leftover keeps the batch's stdout open; the batch still ends (a few seconds after
            // its own process, the grace LocalLivy gives the output) instead of running for 300 s.
            var batch = await livy.WaitForBatchAsync(id, "success", "dead");
            Assert.Equal("success", (string?)batch["state"]);
        }
        finally
        {
            using var leftover = Process.GetProcessById(child);
            leftover.Kill();
        }
    }
}
