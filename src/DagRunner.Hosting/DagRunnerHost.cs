using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.LocalLivy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting;

/// <summary>
/// The one way to build DagRunner's application: a generic host with DagRunner's services for the
/// settings in force, Serilog on standard error, and the front end in charge of starting and stopping
/// (no console lifetime; stopping waits as long as the services take). Every front end composes it:
/// the CLI's commands, <c>scheduler</c> and <c>standalone</c> with their hosted services, later the web UI.
/// </summary>
public static class DagRunnerHost
{
    /// <summary>A builder for <paramref name="settings"/>; add hosted services (<c>AddScheduling</c>,
    /// <c>AddEmbeddedLivy</c>) before building.</summary>
    public static HostApplicationBuilder CreateBuilder(DagRunnerSettings settings, DagRunnerHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new DagRunnerHostOptions();
        // No defaults: the settings come from SettingsLoader, not from the host's own sources.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "dagrunner" });
        HostLogging.Configure(builder.Logging, options.Verbose);
        builder.Services.AddSingleton<IHostLifetime, FrontEndLifetime>();
        builder.Services.Configure<HostOptions>(host =>
        {
            // A first stop leaves remote jobs running and ends when the services have let go; only the
            // front end (a second Ctrl+C) hurries it, never a timeout of the host's.
            host.ShutdownTimeout = Timeout.InfiniteTimeSpan;
            // A service's failure is the front end's to report (the CLI exits with a one-line error).
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });
        // First, so the host's masker is the front end's: what it prints and what the run writes share secrets.
        if (options.Secrets is { } secrets)
            builder.Services.AddSingleton(secrets);
        builder.Services.AddDagRunner(settings, options.Environment);
        builder.Services.AddSingleton(sp => new EmbeddedLivyLauncher(
            settings,
            sp.GetRequiredService<Connections.ConnectionSource>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
