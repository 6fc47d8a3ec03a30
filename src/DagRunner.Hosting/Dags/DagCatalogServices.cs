using DagRunner.Engine.Storage;
using DagRunner.Scripting;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Dags;

/// <summary>DI registration of the <see cref="DagCatalog"/>.</summary>
public static class DagCatalogServices
{
    /// <summary>Registers the process's one <see cref="DagCatalog"/>, over the registered loader.</summary>
    public static IServiceCollection AddDagCatalog(this IServiceCollection services) =>
        services.AddSingleton(sp => new DagCatalog(
            sp.GetRequiredService<DagFolderLoader>(),
            sp.GetRequiredService<ScriptingOptions>(),
            sp.GetRequiredService<IRunStore>,
            sp.GetRequiredService<TimeProvider>()));
}
