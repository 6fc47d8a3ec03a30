using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Web.BrowserTests;

/// <summary>
/// A copy of the repository's example project (dags/, templates/, local-hdfs/) in a temp folder, in
/// whose home the real <c>dagrunner dags test</c> ran <c>cluster_mode_check</c> (fails on purpose: Livy
/// says success, YARN and Spark say failed) and <c>csharp_only</c> against the embedded LocalLivy, with
/// the web UI started in process on a free loopback port over that home. Shared by the tests of the
/// "examples" collection (the runs take seconds).
/// </summary>
public sealed class ExampleProject : IAsyncLifetime
{
    /// <summary>The logical date of the fixture's runs.</summary>
    public const string Date = "2026-11-20";

    /// <summary>The run id <c>dags test --date <see cref="Date"/></c> gives.</summary>
    public const string RunId = "manual__2026-11-20T00:00:00+00:00";

    private IHost? _host;

    public TempFolder Folder { get; } = new("dagrunner-browser");

    public string DagsFolder => Folder["dags"];

    public string Home => Folder["home"];

    /// <summary>The DAG ids of the example files (files starting with "_" are #load-ed helpers).</summary>
    public IReadOnlyList<string> ExampleDagIds { get; private set; } = [];

    public Uri Url => _host?.Services.GetRequiredService<WebUiService>().Url ?? throw new InvalidOperationException("not started");

    public DagRunnerCli Cli => new(Folder.Path, Home, DagsFolder, Folder["templates"]);

    public async ValueTask InitializeAsync()
    {
        var root = RepositoryRoot();
        Copy(Path.Combine(root, "dags"), DagsFolder);
        Copy(Path.Combine(root, "templates"), Folder["templates"]);
        Copy(Path.Combine(root, "local-hdfs"), Folder["local-hdfs"]);
        ExampleDagIds = [.. Directory.EnumerateFiles(DagsFolder, "*.csx").Select(Path.GetFileNameWithoutExtension).Where(n => !n!.StartsWith('_')).Order(StringComparer.Ordinal)!];
        foreach (var (name, code) in ExtraDags.Files(Folder.Path))
            Folder.Write(Path.Combine("dags", name), code);

        // Real runs, as a user makes them, before the UI starts: both at once to save time.
        var token = TestContext.Current.CancellationToken;
        var failing = Cli.RunAsync(["dags", "test", "cluster_mode_check", "--date", Date], token);
        var passing = Cli.RunAsync(["dags", "test", "csharp_only", "--date", Date], token);
        var (failed, failedOutput) = await failing;
        var (passed, passedOutput) = await passing;
        if (failed != 1 || !failedOutput.Contains("verifies |   YARN: FAILED", StringComparison.Ordinal))
            throw new InvalidOperationException("dags test cluster_mode_check did not fail as it should:\n" + failedOutput);
        if (passed != 0)
            throw new InvalidOperationException("dags test csharp_only failed:\n" + passedOutput);

        var settings = new DagRunnerSettings { DagsFolder = DagsFolder, TemplatesFolder = Folder["templates"], Home = Home };
        var builder = DagRunnerHost.CreateBuilder(settings, new DagRunnerHostOptions { Environment = _ => null });
        builder.Services.AddWebUi(new WebOptions { Port = 0 });
        _host = builder.Build();
        await _host.StartAsync(token);
        await WarmUp.UntilServingAsync(Url, token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }

        Folder.Dispose();
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DagRunner.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException("DagRunner.sln was not found above " + AppContext.BaseDirectory);
    }
}
