using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Web.BrowserTests;

/// <summary>One good DAG file and the web UI started in process over a fresh home (no runs).</summary>
internal sealed class SmallProject : IAsyncDisposable
{
    public const string GoodDag = """
        var dag = new Dag("good") { Schedule = null };
        dag.Add(new CSharpOperator("hello", ctx => ctx.Log.WriteLine("hello")));
        """;

    /// <summary>Fails to compile at line 2.</summary>
    public const string BrokenDag = """
        var dag = new Dag("broken") { Schedule = null };
        dag.Add(new CSharpOperator("x", ctx => undefinedThing));
        """;

    private SmallProject(TempFolder folder, IHost host)
    {
        Folder = folder;
        Host = host;
    }

    public TempFolder Folder { get; }

    public IHost Host { get; }

    public Uri Url => Host.Services.GetRequiredService<WebUiService>().Url!;

    public static async Task<SmallProject> StartAsync(CancellationToken cancellationToken)
    {
        var folder = new TempFolder("dagrunner-browser-small");
        folder.Write(Path.Combine("dags", "good.csx"), GoodDag);
        Directory.CreateDirectory(folder["templates"]);
        var settings = new DagRunnerSettings { DagsFolder = folder["dags"], TemplatesFolder = folder["templates"], Home = folder["home"] };
        var builder = DagRunnerHost.CreateBuilder(settings, new DagRunnerHostOptions { Environment = _ => null });
        builder.Services.AddWebUi(new WebOptions { Port = 0 });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var project = new SmallProject(folder, host);
        await WarmUp.UntilServingAsync(project.Url, cancellationToken);
        return project;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
        Folder.Dispose();
    }
}
