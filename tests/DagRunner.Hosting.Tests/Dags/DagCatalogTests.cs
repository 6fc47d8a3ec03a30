using DagRunner.Hosting.Dags;

namespace DagRunner.Hosting.Tests.Dags;

/// <summary>The catalog loads again only for a change <c>FolderStamp</c> sees, keeps import errors in
/// the run store on those loads, and answers lookups with data.</summary>
public sealed class DagCatalogTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CurrentAsync_UnchangedFolder_LoadsOnce()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);

        var first = await project.Catalog.CurrentAsync(Token);
        var second = await project.Catalog.CurrentAsync(Token);

        Assert.Equal("etl", Assert.Single(first).DagId);
        Assert.Same(first[0], second[0]);
        Assert.Equal(1, project.Loads);
    }

    [Fact]
    public async Task CurrentAsync_ChangesFolderStampIgnores_DoNotLoadAgain()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);
        await project.Catalog.CurrentAsync(Token);

        // An editor's swap file (hidden), its backup and autosave, a hidden folder: none is a DAG's input.
        project.Dag(".etl.csx.swp", "swap");
        project.Dag("etl.csx~", "backup");
        project.Dag("#etl.csx#", "autosave");
        project.Dag(Path.Combine(".git", "index"), "git");
        await project.Catalog.CurrentAsync(Token);

        Assert.Equal(1, project.Loads);
    }

    [Fact]
    public async Task CurrentAsync_ChangesFolderStampSees_LoadAgain()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);
        // A data file that is a link (a Kubernetes ConfigMap): its target changes, the link does not.
        var target = project.Folder.Write(Path.Combine("config", "settings.json"), "{}");
        File.CreateSymbolicLink(project.Folder[Path.Combine("dags", "settings.json")], target);
        await project.Catalog.CurrentAsync(Token);

        await File.WriteAllTextAsync(target, """{ "tables": ["sales"] }""", Token);
        await project.Catalog.CurrentAsync(Token);
        project.Folder.Write(Path.Combine("templates", "load.py.sbn"), "print(1)");
        await project.Catalog.CurrentAsync(Token);
        project.Dag("other.csx", CatalogProject.Etl.Replace("\"etl\"", "\"other\"", StringComparison.Ordinal));
        var last = await project.Catalog.CurrentAsync(Token);

        Assert.Equal(4, project.Loads);
        Assert.Equal(["etl", "other"], last.Select(d => d.DagId));
    }

    [Fact]
    public async Task CurrentAsync_ImportErrors_AreKeptInTheRunStoreUntilFixed()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);
        var broken = project.Dag("broken.csx", "var dag = new Dag(\"broken\"); dag.Add(");

        var loaded = await project.Catalog.RefreshAsync(Token);
        var kept = await project.Store.ImportErrorsAsync(Token);
        File.WriteAllText(broken, CatalogProject.Etl.Replace("\"etl\"", "\"fixed\"", StringComparison.Ordinal));
        await project.Catalog.RefreshAsync(Token);
        var afterFix = await project.Store.ImportErrorsAsync(Token);

        Assert.NotEmpty(loaded.Errors);
        Assert.Equal(loaded.Errors.Select(e => (e.File, e.Line, e.Message)), kept.Select(e => (e.File, e.Line, e.Message)));
        Assert.Empty(afterFix);
    }

    [Fact]
    public async Task LoadAsync_OneShotLoad_WritesNothingToTheRunStore()
    {
        await using var project = new CatalogProject();
        project.Dag("broken.csx", "var dag = new Dag(\"broken\"); dag.Add(");

        var loaded = await project.Catalog.LoadAsync(Token);

        Assert.NotEmpty(loaded.Errors);
        Assert.Equal(1, loaded.FileCount);
        Assert.False(project.StoreAsked);
        Assert.Equal(0, project.Loads);
    }

    [Fact]
    public async Task FindAsync_KnownDag_IsFound()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);

        var lookup = await project.Catalog.FindAsync("etl", Token);

        Assert.Equal(DagLookupOutcome.Found, lookup.Outcome);
        Assert.True(lookup.Found);
        Assert.Equal("etl", lookup.Dag.DagId);
    }

    [Fact]
    public async Task FindAsync_UnknownDag_IsNotFoundWithTheKnownIds()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);

        var lookup = await project.Catalog.FindAsync("sales", Token);

        Assert.Equal(DagLookupOutcome.NotFound, lookup.Outcome);
        Assert.Null(lookup.Dag);
        Assert.Equal(["etl"], lookup.KnownDagIds);
        Assert.Empty(lookup.ImportErrors);
    }

    [Fact]
    public async Task FindAsync_UnknownDagWithImportErrors_IsHiddenByThem()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);
        project.Dag("sales.csx", "var dag = new Dag(\"sales\"); dag.Add(");

        var lookup = await project.Catalog.FindAsync("sales", Token);

        Assert.Equal(DagLookupOutcome.HiddenByImportErrors, lookup.Outcome);
        Assert.Equal(1, lookup.FilesWithErrors);
        Assert.All(lookup.ImportErrors, e => Assert.EndsWith("sales.csx", e.File, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindTaskAsync_UnknownTask_ListsTheDagsTasks()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);

        var (dag, task) = await project.Catalog.FindTaskAsync("etl", "transform", Token);
        var (_, found) = await project.Catalog.FindTaskAsync("etl", "load", Token);

        Assert.True(dag.Found);
        Assert.NotNull(task);
        Assert.False(task.Found);
        Assert.Equal(["extract", "load"], task.KnownTaskIds);
        Assert.Equal("load", found?.Task?.TaskId);
    }

    [Fact]
    public async Task SetPausedAsync_PauseThenUnpause_IsKeptInTheRunStore()
    {
        await using var project = new CatalogProject();
        project.Dag("etl.csx", CatalogProject.Etl);
        var dag = (await project.Catalog.FindAsync("etl", Token)).Dag!;

        await project.Catalog.SetPausedAsync(dag, paused: true, Token);
        var paused = await project.Store.PausedAsync(Token);
        await project.Catalog.SetPausedAsync(dag, paused: false, Token);

        Assert.Equal(["etl"], paused);
        Assert.Empty(await project.Store.PausedAsync(Token));
    }
}
