using DagRunner.Engine.Testing;
using DagRunner.Clients.Http;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Operators;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Scripting;
using DagRunner.Templating;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting;

/// <summary>DI registration of the services the CLI and the web app share.</summary>
public static class DagRunnerServices
{
    /// <summary>Registers DagRunner's services for <paramref name="settings"/>; connections are also
    /// read from <paramref name="environment"/> (default: the process's environment).</summary>
    public static IServiceCollection AddDagRunner(this IServiceCollection services, DagRunnerSettings settings, Func<string, string?>? environment = null)
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
        services.AddSingleton(new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = settings.TemplatesFolder })));
        services.AddSingleton(sp => new DagFolderLoader(
            sp.GetRequiredService<ScriptingOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DagFolderLoader>>(),
            sp.GetRequiredService<TaskTemplates>()));
        services.AddSingleton(new ConnectionSource(settings, environment ?? Environment.GetEnvironmentVariable));
        services.AddSingleton(new RemoteHandles());
        services.AddSingleton(sp => new RemoteClients(
            sp.GetRequiredService<ConnectionSource>().Find,
            new ClientOptions { TimeProvider = sp.GetRequiredService<TimeProvider>() },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new DagTestRunner(sp.GetRequiredService<TimeProvider>(), settings.LogsFolder, sp));
        return services;
    }
}
