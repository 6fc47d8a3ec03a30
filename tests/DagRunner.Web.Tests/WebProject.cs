using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Web.Tests;

/// <summary>A DAGs folder, a home with a real SQLite store, and DagRunner's host with the web UI on a free
/// loopback port, started; an HTTP client pointed at it.</summary>
internal sealed class WebProject : IAsyncDisposable
{
    private WebProject(TempFolder folder, IHost host)
    {
        Folder = folder;
        Host = host;
        Http = new HttpClient { BaseAddress = host.Services.GetRequiredService<WebUiService>().Url };
    }

    public TempFolder Folder { get; }

    public IHost Host { get; }

    public HttpClient Http { get; }

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Writes <paramref name="dags"/> (file name to code) and starts the host.</summary>
    public static Task<WebProject> StartAsync(IReadOnlyDictionary<string, string> dags, CancellationToken cancellationToken) =>
        StartAsync(dags, new WebOptions { Port = 0 }, cancellationToken);

    /// <summary>Writes <paramref name="dags"/> and starts the host with the UI as <paramref name="options"/> say;
    /// <paramref name="services"/> may replace the host's services (a fake clock).</summary>
    public static async Task<WebProject> StartAsync(IReadOnlyDictionary<string, string> dags, WebOptions options, CancellationToken cancellationToken, Action<IServiceCollection>? services = null)
    {
        var folder = new TempFolder("web");
        foreach (var (name, code) in dags)
            folder.Write(Path.Combine("dags", name), code);
        Directory.CreateDirectory(folder["templates"]);
        var settings = new DagRunnerSettings { DagsFolder = folder["dags"], TemplatesFolder = folder["templates"], Home = folder["home"] };
        var builder = DagRunnerHost.CreateBuilder(settings, new DagRunnerHostOptions { Environment = _ => null });
        builder.Services.AddWebUi(options);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new WebProject(folder, host);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        Folder.Dispose();
    }
}
