using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using System.CommandLine;
using DagRunner.Engine.Runs;
using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DagRunner.Cli;

/// <summary>One command's resolved settings and services.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliSession(CliIo io, DagRunnerSettings settings, ServiceProvider services, bool verbose)
    {
        Io = io;
        Settings = settings;
        _services = services;
        Verbose = verbose;
    }

    public CliIo Io { get; }

    public DagRunnerSettings Settings { get; }

    public bool Verbose { get; }

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    public ILoggerFactory LoggerFactory => _services.GetRequiredService<ILoggerFactory>();

    public DagTestRunner TestRunner => _services.GetRequiredService<DagTestRunner>();

    public ConnectionSource Connections => _services.GetRequiredService<ConnectionSource>();

    public IRunStore Store => _services.GetRequiredService<IRunStore>();

    public DagRunExecutor Executor => _services.GetRequiredService<DagRunExecutor>();

    public DagCatalog Catalog => _services.GetRequiredService<DagCatalog>();

    public RunLauncher Launcher => _services.GetRequiredService<RunLauncher>();

    public RunReadModel Runs => _services.GetRequiredService<RunReadModel>();

    public TaskRenderer Renderer => _services.GetRequiredService<TaskRenderer>();

    /// <summary>The host's services, as operators find them through their task context.</summary>
    public IServiceProvider Services => _services;

    /// <exception cref="ConfigurationException">The settings are wrong.</exception>
    public static CliSession Start(CliIo io, GlobalOptions options, ParseResult parse, bool needsDags)
    {
        var verbose = parse.GetValue(options.Verbose);
        var settings = SettingsLoader.Load(options.Read(parse), io.Environment, io.CurrentDirectory, needsDags);
        var services = new ServiceCollection()
            .AddSingleton(HostLogging.CreateLoggerFactory(verbose))
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(io.Secrets)
            .AddDagRunner(settings, io.Environment)
            .BuildServiceProvider();
        return new CliSession(io, settings, services, verbose);
    }

    public Task<DagCompilation> LoadDagsAsync(CancellationToken cancellationToken) =>
        _services.GetRequiredService<DagFolderLoader>().LoadAsync(cancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
