using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Engine.Runs;
using DagRunner.Storage.Postgres;
using DagRunner.Storage.Sqlite;
using DagRunner.Clients.Http;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Hosting.Connections;
using DagRunner.Hosting.Loading;
using DagRunner.Operators;
using DagRunner.Operators.Livy.Session;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Scripting;
using DagRunner.Scripting.Isolation;
using DagRunner.Templating;
using DagRunner.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting;

/// <summary>DI registration of the services the CLI and the web app share.</summary>
public static class DagRunnerServices
{
    /// <summary>
    /// Makes this process read each unchanged DAG file's definitions from the snapshot its last run left
    /// (<see cref="ScriptingOptions.ReadDefinitionSnapshots"/>) instead of running its code: for a front end
    /// that shows DAGs and runs no task (the web UI alone). Call after <see cref="AddDagRunner"/>.
    /// </summary>
    public static IServiceCollection ReadDefinitionSnapshots(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<ScriptingOptions>().LastOrDefault()
            ?? throw new InvalidOperationException("AddDagRunner registers the scripting options; call it first.");
        options.ReadDefinitionSnapshots = true;
        return services;
    }

    /// <summary>Registers DagRunner's services for <paramref name="settings"/>; connections are also
    /// read from <paramref name="environment"/> (default: the process's environment).</summary>
    public static IServiceCollection AddDagRunner(this IServiceCollection services, DagRunnerSettings settings, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        // One masker per process: the terminal (the CLI registers its own first), the executor, the
        // connections and the run store share what each learns is secret.
        services.TryAddSingleton(new SecretMasker());
        var templates = DagFiles.Templates(settings.TemplatesFolder);
        services.AddSingleton(templates);
        services.AddSingleton(DagFiles.Apply(new ScriptingOptions
        {
            DagsFolder = settings.DagsFolder,
            TemplatesFolder = settings.TemplatesFolder,
            CacheFolder = settings.CacheFolder,
            LoadTimeout = settings.LoadTimeout,
            Probe = LoadProbeCommand.Find() is { } command
                ? new LoadProbeOptions { Command = command, MemoryLimitBytes = settings.LoadMemoryLimitMb * 1024L * 1024 }
                : null,
            CompileServer = settings.CompileServer ? CompileServerCommand.Find() : null,
        }, templates));
        services.AddSingleton(sp => new DagFolderLoader(
            sp.GetRequiredService<ScriptingOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DagFolderLoader>>()));
        services.AddDagCatalog();
        services.AddSingleton(sp => new ConnectionSource(settings, environment ?? Environment.GetEnvironmentVariable, sp.GetRequiredService<SecretMasker>()));
        // The run store opens on first use: commands that never run a task never create it.
        services.AddSingleton<IRunStore>(sp => new MaskingRunStore(OpenStore(settings, Secrets(sp)), Secrets(sp)));
        // Off unless dev --warm turns it on.
        services.AddSingleton(new WarmSessions());
        services.AddSingleton(sp => new ExecutorOptions
        {
            LogsFolder = settings.LogsFolder,
            Parallelism = settings.Parallelism,
            Pools = settings.Pools,
            Secrets = Secrets(sp),
        });
        services.AddSingleton(sp => new ExecutionSlots(sp.GetRequiredService<ExecutorOptions>()));
        services.AddSingleton(sp => new DagRunExecutor(
            sp.GetRequiredService<IRunStore>(),
            sp.GetRequiredService<ExecutionSlots>(),
            sp.GetRequiredService<ExecutorOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp));
        services.AddSingleton(sp => new RemoteClients(
            sp.GetRequiredService<ConnectionSource>().Find,
            settings.Clients with { TimeProvider = sp.GetRequiredService<TimeProvider>() },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new DagTestRunner(sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<DagRunExecutor>(), sp.GetRequiredService<TimeProvider>()));
        services.AddRuns();
        return services;
    }

    // The masker, once every configured connection's secrets are in it: the connections register
    // them when first built, which must not wait for the first task that talks to a server (a
    // shell task that prints its environment may run before any).
    // The SQLite file under the home, or the PostgreSQL store several processes share. The store's password is
    // registered as a secret before anything could print it. Opened on first use, from a synchronous factory:
    // PostgreSQL's migration runs there once (the host has no synchronization context to block).
    private static IRunStore OpenStore(DagRunnerSettings settings, SecretMasker secrets)
    {
        if (settings.Store is not { } uri)
            return SqliteRunStore.Open(Path.Combine(settings.Home, "state.db"));
        secrets.AddRange(Clients.Connections.Connection.SecretsOf(uri));
        return PostgresRunStore.OpenAsync(uri, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static SecretMasker Secrets(IServiceProvider services)
    {
        _ = services.GetRequiredService<ConnectionSource>();
        return services.GetRequiredService<SecretMasker>();
    }
}
