using DagRunner.Engine.Testing;
using DagRunner.Hosting.Configuration;
using DagRunner.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting;

/// <summary>DI registration of the services the CLI and the web app share.</summary>
public static class DagRunnerServices
{
    /// <summary>Registers DagRunner's services for <paramref name="settings"/>.</summary>
    public static IServiceCollection AddDagRunner(this IServiceCollection services, DagRunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ScriptingOptions
        {
            DagsFolder = settings.DagsFolder,
            TemplatesFolder = settings.TemplatesFolder,
            CacheFolder = settings.CacheFolder,
            LoadTimeout = settings.LoadTimeout,
        });
        services.AddSingleton(sp => new DagFolderLoader(
            sp.GetRequiredService<ScriptingOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DagFolderLoader>>()));
        services.AddSingleton(sp => new DagTestRunner(sp.GetRequiredService<TimeProvider>(), settings.LogsFolder));
        return services;
    }
}
