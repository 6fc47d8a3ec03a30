using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Dags;
using DagRunner.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Tests.Dags;

/// <summary>The catalog as the hosts resolve it.</summary>
public sealed class DagCatalogServicesTests
{
    [Fact]
    public async Task AddDagRunner_CatalogLoadAndLookup_DoNotCreateTheRunStore()
    {
        using var folder = new TempFolder("catalog-di");
        folder.Write(Path.Combine("dags", "broken.csx"), "var dag = new Dag(\"broken\"); dag.Add(");
        var settings = new DagRunnerSettings { DagsFolder = folder["dags"], TemplatesFolder = folder["templates"], Home = folder["home"] };
        await using var services = new ServiceCollection().AddLogging().AddDagRunner(settings, _ => null).BuildServiceProvider();
        var catalog = services.GetRequiredService<DagCatalog>();

        var loaded = await catalog.LoadAsync(TestContext.Current.CancellationToken);
        var lookup = await catalog.FindAsync("broken", TestContext.Current.CancellationToken);

        Assert.Same(catalog, services.GetRequiredService<DagCatalog>());
        Assert.NotEmpty(loaded.Errors);
        Assert.Equal(DagLookupOutcome.HiddenByImportErrors, lookup.Outcome);
        Assert.False(File.Exists(Path.Combine(settings.Home, "state.db")));
    }
}
