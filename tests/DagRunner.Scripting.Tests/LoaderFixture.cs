using DagRunner.Testing;

namespace DagRunner.Scripting.Tests;

/// <summary>A temp DAGs folder, templates folder and cache, and a loader over them.</summary>
internal sealed class LoaderFixture : IDisposable
{
    public LoaderFixture(TimeSpan? loadTimeout = null, bool cache = true)
    {
        Options = new ScriptingOptions
        {
            DagsFolder = Root["dags"],
            TemplatesFolder = Root["templates"],
            CacheFolder = cache ? Root[".dagrunner/cache/scripts"] : null,
            LoadTimeout = loadTimeout ?? TimeSpan.FromSeconds(30),
        }.AsTheApplication();
        Directory.CreateDirectory(Options.DagsFolder);
        Directory.CreateDirectory(Options.TemplatesFolder);
    }

    public TempFolder Root { get; } = new();

    public ScriptingOptions Options { get; }

    public string Dag(string relative, string content) => Root.Write(Path.Combine("dags", relative), content);

    public string Template(string relative, string content) => Root.Write(Path.Combine("templates", relative), content);

    /// <summary>A loader over the same folders that reads definitions from snapshots, as the web UI's does.</summary>
    public DagFolderLoader SnapshotReader() => new(
        new ScriptingOptions
        {
            DagsFolder = Options.DagsFolder,
            TemplatesFolder = Options.TemplatesFolder,
            CacheFolder = Options.CacheFolder,
            LoadTimeout = Options.LoadTimeout,
            ReadDefinitionSnapshots = true,
        }.AsTheApplication(),
        TimeProvider.System);

    public Task<DagCompilation> LoadAsync(TimeProvider? time = null) =>
        new DagFolderLoader(Options, time ?? TimeProvider.System).LoadAsync(TestContext.Current.CancellationToken);

    public void Dispose() => Root.Dispose();
}
