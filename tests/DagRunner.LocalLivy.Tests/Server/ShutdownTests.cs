using DagRunner.LocalLivy.Tests.Batches;
using DagRunner.Testing;

namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Stopping the server ends every process it started (reference §0.11, §3.4), and bad
/// options are refused before anything starts.</summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_RunningBatches_KillsTheirProcessesAndSecondDisposeIsHarmless(bool recovery)
    {
        using var state = new TempFolder("local-livy-state");
        await using var livy = await LivyTestServer.StartAsync(o =>
        {
            o.Recovery = recovery;
            o.StateFolder = state.Path;
        });
        livy.Jobs.Write("sleep.py", BatchKit.SleepScript);
        var first = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        var second = await livy.CreateBatchAsync(new { file = "local:///sleep.py" });
        int[] pids = [await livy.WaitForPidAsync(first), await livy.WaitForPidAsync(second)];
        Assert.All(pids, pid => Assert.True(BatchKit.IsRunning(pid)));
        var url = livy.Server.BaseUrl;

        await livy.Server.DisposeAsync();

        // The kernel delivers SIGKILL asynchronously: each process gets the kit's short grace to be gone.
        foreach (var pid in pids)
            Assert.False(await Sessions.SessionTestKit.OutlivesAsync(pid), $"process {pid} outlived the server");
        await livy.Server.DisposeAsync();
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/batches", BatchKit.Token));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task StartAsync_PortOutOfRange_ThrowsArgumentException(int port)
    {
        using var jobs = new TempFolder("local-livy-jobs");
        var options = new LocalLivyOptions { Port = port, JobsRoot = jobs.Path };

        await Assert.ThrowsAsync<ArgumentException>(() => LocalLivyServer.StartAsync(options, BatchKit.Token));
    }

    [Fact]
    public async Task StartAsync_MissingJobsRoot_ThrowsArgumentException()
    {
        var options = new LocalLivyOptions { Port = 0, JobsRoot = Path.Join(Path.GetTempPath(), "no-such-jobs-" + Guid.NewGuid().ToString("N")) };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => LocalLivyServer.StartAsync(options, BatchKit.Token));
        Assert.Contains(options.JobsRoot, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidLimits_ThrowsArgumentException()
    {
        using var jobs = new TempFolder("local-livy-jobs");

        await Assert.ThrowsAsync<ArgumentException>(() => LocalLivyServer.StartAsync(
            new LocalLivyOptions { Port = 0, JobsRoot = jobs.Path, LogLines = 0 }, BatchKit.Token));
        await Assert.ThrowsAsync<ArgumentException>(() => LocalLivyServer.StartAsync(
            new LocalLivyOptions { Port = 0, JobsRoot = jobs.Path, StateRetention = TimeSpan.FromSeconds(-1) }, BatchKit.Token));
    }
}
