using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.LocalLivy;
using DagRunner.LocalLivy;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Web.Tests.Tasks;

/// <summary>A project whose Livy, YARN, Spark and spark-submit connections point at a real LocalLivy on loopback (Livy
/// through a <see cref="RecordingProxy"/> that keeps what Livy received), each URI with a user and
/// <see cref="Password"/>, and DagRunner's host with the web UI on a free port over a real SQLite store.</summary>
internal sealed class LivyWebProject : IAsyncDisposable
{
    /// <summary>The connections' password: never to be seen in a page.</summary>
    public const string Password = "Pa55-w0rd-Xq7";

    private LivyWebProject(TempFolder folder, LocalLivyServer livy, RecordingProxy proxy, IHost host)
    {
        Folder = folder;
        Livy = livy;
        Proxy = proxy;
        Host = host;
        Http = new HttpClient { BaseAddress = host.Services.GetRequiredService<WebUiService>().Url };
    }

    public TempFolder Folder { get; }

    public LocalLivyServer Livy { get; }

    public RecordingProxy Proxy { get; }

    public IHost Host { get; }

    public HttpClient Http { get; }

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Writes <paramref name="files"/> (paths under the project folder: <c>dags/x.csx</c>,
    /// <c>templates/jobs/y.py</c>) and starts LocalLivy, the proxy and the host.</summary>
    public static async Task<LivyWebProject> StartAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var folder = new TempFolder("web-livy");
        foreach (var (path, content) in files)
            folder.Write(path, content);
        Directory.CreateDirectory(folder["dags"]);
        Directory.CreateDirectory(folder["templates"]);
        var settings = new DagRunnerSettings { DagsFolder = folder["dags"], TemplatesFolder = folder["templates"], Home = folder["home"] };
        var options = EmbeddedLivy.Options(settings, TimeProvider.System);
        options.Port = 0;
        var livy = await LocalLivyServer.StartAsync(options, cancellationToken);
        var proxy = new RecordingProxy(livy.BaseUrl);
        var environment = new Dictionary<string, string>
        {
            ["DAGRUNNER_CONN_LIVY_DEFAULT"] = $"http://alice:{Password}@127.0.0.1:{proxy.BaseUrl.Port}/",
            ["DAGRUNNER_CONN_YARN_DEFAULT"] = $"http://alice:{Password}@127.0.0.1:{livy.Port}/",
            ["DAGRUNNER_CONN_SPARK_DEFAULT"] = $"http://alice:{Password}@127.0.0.1:{livy.Port}/",
            ["DAGRUNNER_CONN_SPARK_SUBMIT_DEFAULT"] = EmbeddedLivy.LocalSparkSubmitUri(livy),
        };
        var builder = DagRunnerHost.CreateBuilder(settings, new DagRunnerHostOptions { Environment = environment.GetValueOrDefault });
        builder.Services.AddWebUi(new WebOptions { Port = 0 });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new LivyWebProject(folder, livy, proxy, host);
    }

    /// <summary>A file of the repository (the example DAGs and jobs).</summary>
    public static string Repository(string relative)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DagRunner.sln")))
            folder = folder.Parent;
        return File.ReadAllText(Path.Combine(folder?.FullName ?? throw new InvalidOperationException("DagRunner.sln not found above the tests"), relative));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        await Proxy.DisposeAsync();
        await Livy.DisposeAsync();
        Folder.Dispose();
    }
}
