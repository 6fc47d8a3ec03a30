using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.LocalLivy;
using DagRunner.Hosting.Scheduling;
using DagRunner.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.Tests.Scheduling;

/// <summary>The scheduler as a hosted service on the application host: real DAG files, a real SQLite
/// store in the home, the host started and stopped as <c>scheduler</c> does.</summary>
public sealed class SchedulerServiceTests
{
    // One run is due (no catchup); its task waits until it is cancelled or the runner lets go of it. An
    // attempt a stopped runner let go of counts as failed: the retry is what the next start runs.
    private const string Hold = """
        var dag = new Dag("hold") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new CSharpOperator("wait", async ctx =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken, ctx.DetachToken);
            await Task.Delay(Timeout.Infinite, either.Token);
        }) { Retries = 3, RetryDelay = TimeSpan.Zero });
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SchedulerOptions Options => new() { LoopInterval = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task FirstStop_LeavesTheRunningRunForTheNextStart_WhichContinuesIt()
    {
        using var project = new HostProject();
        project.Dag("hold.csx", Hold);
        var started = new StartedTasks();

        using (var host = project.Build(services => services.AddScheduling(Options)))
        {
            host.Services.GetRequiredService<SchedulerService>().Observer = started;
            await host.StartAsync(Token);
            await started.WaitAsync(1);
            await host.StopAsync(CancellationToken.None);

            var run = Assert.Single(await host.Services.GetRequiredService<IRunStore>().ListRunsAsync("hold", null, Token));
            Assert.Equal(DagRunState.Running, run.State);
            Assert.False(host.Services.GetRequiredService<SchedulerService>().Cancelled);
        }

        // Both hosts are of this process: the first one's attempt is taken over once its heartbeat is stale.
        using (var host = project.Build(services => services.AddScheduling(Options).AddSingleton(sp => new ExecutorOptions
        {
            LogsFolder = project.Settings.LogsFolder,
            Secrets = sp.GetRequiredService<SecretMasker>(),
            ClaimHeartbeat = TimeSpan.FromMilliseconds(200),
            ClaimStaleAfter = TimeSpan.FromSeconds(1),
        })))
        {
            host.Services.GetRequiredService<SchedulerService>().Observer = started;
            await host.StartAsync(Token);
            // The same run again, not a new one.
            await started.WaitAsync(2);
            var run = Assert.Single(await host.Services.GetRequiredService<IRunStore>().ListRunsAsync("hold", null, Token));
            Assert.Equal(DagRunState.Running, run.State);
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task StopWithItsTokenCancelled_CancelsRunningWork()
    {
        using var project = new HostProject();
        project.Dag("hold.csx", Hold);
        var started = new StartedTasks();
        using var host = project.Build(services => services.AddScheduling(Options));
        var scheduler = host.Services.GetRequiredService<SchedulerService>();
        scheduler.Observer = started;
        await host.StartAsync(Token);
        await started.WaitAsync(1);

        // A second Ctrl+C: the stop is no longer graceful.
        await host.StopAsync(new CancellationToken(canceled: true));

        Assert.True(scheduler.Cancelled);
        Assert.True(scheduler.ExecuteTask!.IsCompleted);
        Assert.Equal(1, started.Count);
    }

    [Fact]
    public async Task StartAndStop_TakeAndReleaseTheHomesLock()
    {
        using var project = new HostProject();
        project.Dag("hold.csx", Hold);
        var counted = -1;
        using var first = project.Build(services => services.AddScheduling(Options));
        first.Services.GetRequiredService<SchedulerService>().Started += count => counted = count;
        await first.StartAsync(Token);
        Assert.Equal(1, counted);

        using (var second = project.Build(services => services.AddScheduling(Options)))
        {
            var busy = await Assert.ThrowsAsync<SchedulerBusyException>(() => second.StartAsync(Token));
            Assert.Equal(project.Settings.Home, busy.Home);
            // The failed start neither started the embedded LocalLivy nor scheduled anything.
            Assert.Null(second.Services.GetRequiredService<EmbeddedLivyLauncher>().BaseUrl);
        }

        await first.StopAsync(new CancellationToken(canceled: true));
        using var lease = SchedulerLock.TryTake(project.Settings.Home);
        Assert.NotNull(lease);
    }
}
