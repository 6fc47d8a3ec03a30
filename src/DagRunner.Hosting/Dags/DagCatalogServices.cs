using DagRunner.Engine.Storage;
using DagRunner.Scripting;
using DagRunner.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Dags;

/// <summary>DI registration of the <see cref="DagCatalog"/> and the <see cref="DagSourceReader"/>.</summary>
public static class DagCatalogServices
{
    /// <summary>Registers the process's one <see cref="DagCatalog"/>, over the registered loader, and the
    /// reader of the DAGs' source files.</summary>
    public static IServiceCollection AddDagCatalog(this IServiceCollection services) => services
        .AddSingleton(sp => new DagCatalog(
            sp.GetRequiredService<DagFolderLoader>(),
            sp.GetRequiredService<ScriptingOptions>(),
            sp.GetRequiredService<IRunStore>,
            sp.GetRequiredService<TimeProvider>()))
        .AddSingleton(sp => new DagSourceReader(sp.GetRequiredService<ScriptingOptions>().DagsFolder, sp.GetRequiredService<SecretMasker>()));
}
