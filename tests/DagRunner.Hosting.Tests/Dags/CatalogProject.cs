using DagRunner.Hosting.Dags;
using DagRunner.Scripting;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.Hosting.Tests.Dags;

/// <summary>A DAGs and templates folder, a real SQLite run store and a catalog over them; counts the
/// catalog's loads and whether it asked for the store.</summary>
internal sealed class CatalogProject : IAsyncDisposable
{
    public const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var load = dag.Add(new CSharpOperator("load", ctx => { }));
        extract >> load;
        """;

    public CatalogProject()
    {
        Directory.CreateDirectory(Folder["dags"]);
        Directory.CreateDirectory(Folder["templates"]);
        Store = SqliteRunStore.Open(Folder["state.db"]);
        Loader = new DagFolderLoader(new ScriptingOptions { DagsFolder = Folder["dags"], TemplatesFolder = Folder["templates"], CacheFolder = Folder["cache"] }, TimeProvider.System);
        Catalog = new DagCatalog(Loader, new ScriptingOptions { DagsFolder = Folder["dags"], TemplatesFolder = Folder["templates"] }, () =>
        {
            StoreAsked = true;
            return Store;
        }, TimeProvider.System);
        Catalog.Reloaded += _ => Loads++;
    }

    public TempFolder Folder { get; } = new("catalog");

    public SqliteRunStore Store { get; }

    public DagFolderLoader Loader { get; }

    public DagCatalog Catalog { get; }

    /// <summary>How many times <see cref="DagCatalog.CurrentAsync"/> loaded the folder.</summary>
    public int Loads { get; private set; }

    public bool StoreAsked { get; private set; }

    public string Dag(string name, string code) => Folder.Write(Path.Combine("dags", name), code);

    public async ValueTask DisposeAsync()
    {
        Catalog.Dispose();
        Loader.Dispose();
        await Store.DisposeAsync();
        Folder.Dispose();
    }
}
