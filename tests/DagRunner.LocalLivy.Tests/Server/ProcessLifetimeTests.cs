using DagRunner.LocalLivy.Tests.Batches;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Processes and handles end with the jobs they belong to. Run alone: the open-file count
/// is the whole test process's, which tests running beside it would change.</summary>
[Collection(nameof(ProcessLifetimeTests))]
public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task DeleteRightAfterCreate_BatchesStillStarting_LeaveNoProcess()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var marker = $"starting_{Guid.NewGuid():N}.py";
        livy.Jobs.Write(marker, "import time\ntime.sleep(60)\n");

        var ids = new List<int>();
        for (var i = 0; i < 10; i++)
            ids.Add(await livy.CreateBatchAsync(new { file = "local:///" + marker }));
        foreach (var id in ids)
            Assert.Equal(200, (await livy.SendAsync(HttpMethod.Delete, $"/batches/{id}")).Status);

        // DELETE returns once the job has ended, whether it had started or not.
        Assert.Empty(ProcessTable.Running(marker));
    }

    [Fact]
    public async Task DeleteRightAfterCreate_SessionsStillStarting_LeaveNoInterpreter()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var driver = Path.Join(livy.Server.StateFolder, "repl_driver.py");

        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
            ids.Add((int)(await livy.PostAsync("/sessions", new { kind = "pyspark" })).Body!["id"]!);
        foreach (var id in ids)
            Assert.Equal(200, (await livy.SendAsync(HttpMethod.Delete, $"/sessions/{id}")).Status);

        Assert.Empty(ProcessTable.Running(driver));
    }

    [Fact]
    public async Task Batch_LeavesABackgroundProcess_TheProcessEndsWithTheBatch()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        var marker = Guid.NewGuid().ToString("N");
        var script = $"import subprocess\nsubprocess.Popen(['sleep', '300', '{marker}'])\nprint('started', flush=True)\n";

        await livy.RunBatchToEndAsync("leaves_child.py", script, "success");

        // The job led a process group of its own, which ended with it, as a YARN container ends.
        Assert.Empty(ProcessTable.Running(marker));
    }

    [Fact]
    public async Task ManyBatches_OpenFilesDoNotGrowWithThem()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("quick.py", "print('done')\n");
        await livy.RunBatchToEndAsync("quick.py", "print('done')\n", "success");
        var before = ProcessTable.OpenFiles();

        var ids = new List<int>();
        for (var i = 0; i < 40; i++)
            ids.Add(await livy.CreateBatchAsync(new { file = "local:///quick.py" }));
        foreach (var id in ids)
            await livy.WaitForBatchAsync(id, "success");

        // Each process had three pipes and a log file open while it ran; none of them is kept.
        var after = ProcessTable.OpenFiles();
        Assert.True(after - before < 20, $"open files went from {before} to {after} over 40 batches");
    }
}

[CollectionDefinition(nameof(ProcessLifetimeTests), DisableParallelization = true)]
public sealed class RunAloneWithProcessLifetimeTests;
