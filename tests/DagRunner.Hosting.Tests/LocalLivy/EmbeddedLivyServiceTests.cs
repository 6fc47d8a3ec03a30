using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.LocalLivy;
using DagRunner.Hosting.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.Tests.LocalLivy;

/// <summary>The embedded LocalLivy as a hosted service: started by the host only when needed and no Livy is
/// configured, a real server on loopback, stopped with the host.</summary>
public sealed class EmbeddedLivyServiceTests
{
    private const string Shell = """
        var dag = new Dag("shell") { Schedule = "@daily", StartDate = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new ShellOperator("hello") { Command = "echo hello" });
        """;

    private const string Batch = """
        var dag = new Dag("batch") { Schedule = "@daily", StartDate = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new LivyBatchOperator("job") { File = "local:///jobs/job.py" });
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SchedulerOptions Options => new() { LoopInterval = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Needed_StartsWithTheHostOnLoopback_AndStopsWithIt()
    {
        using var project = new HostProject();
        using var host = project.Build(services => services.AddEmbeddedLivy(_ => true));
        var launcher = host.Services.GetRequiredService<EmbeddedLivyLauncher>();
        EmbeddedLivyStarted? said = null;
        launcher.Started += started => said = started;

        await host.StartAsync(Token);
        var url = launcher.BaseUrl;
        Assert.NotNull(url);
        Assert.Equal(url, said?.BaseUrl);
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(url.Host)));
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(new Uri(url, "batches"), Token)).IsSuccessStatusCode);

        await host.StopAsync(Token);
        Assert.Null(launcher.BaseUrl);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "batches"), Token));
    }

    [Fact]
    public async Task LivyConfigured_IsNotStarted()
    {
        using var project = new HostProject();
        project.Environment["DAGRUNNER_CONN_LIVY_DEFAULT"] = "http://127.0.0.1:9/";
        using var host = project.Build(services => services.AddEmbeddedLivy(_ => true));

        await host.StartAsync(Token);

        Assert.Null(host.Services.GetRequiredService<EmbeddedLivyLauncher>().BaseUrl);
        await host.StopAsync(Token);
    }

    [Fact]
    public async Task Scheduler_DagsWithoutLivyTasks_StartNone()
    {
        using var project = new HostProject();
        project.Dag("shell.csx", Shell);
        using var host = project.Build(services => services.AddScheduling(Options));

        await host.StartAsync(Token);

        Assert.Null(host.Services.GetRequiredService<EmbeddedLivyLauncher>().BaseUrl);
        await host.StopAsync(new CancellationToken(canceled: true));
    }

    [Fact]
    public async Task Scheduler_ADagWithALivyTask_StartsIt_BeforeTheSchedulerSaysItStarted()
    {
        using var project = new HostProject();
        project.Dag("shell.csx", Shell);
        project.Dag("batch.csx", Batch);
        using var host = project.Build(services => services.AddScheduling(Options));
        var launcher = host.Services.GetRequiredService<EmbeddedLivyLauncher>();
        Uri? whenStarted = null;
        host.Services.GetRequiredService<SchedulerService>().Started += _ => whenStarted = launcher.BaseUrl;

        await host.StartAsync(Token);

        Assert.NotNull(whenStarted);
        await host.StopAsync(new CancellationToken(canceled: true));
        Assert.Null(launcher.BaseUrl);
    }

    [Fact]
    public async Task Standalone_StartsIt_EvenForDagsWithoutLivyTasks()
    {
        using var project = new HostProject();
        project.Dag("shell.csx", Shell);
        using var host = project.Build(services => services.AddScheduling(Options, embeddedLivy: true));

        await host.StartAsync(Token);

        Assert.NotNull(host.Services.GetRequiredService<EmbeddedLivyLauncher>().BaseUrl);
        await host.StopAsync(new CancellationToken(canceled: true));
    }
}
