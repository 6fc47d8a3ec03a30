using System.CommandLine;
using DagRunner.Hosting;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.LocalLivy;
using DagRunner.Hosting.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace DagRunner.Cli;

/// <summary>One command's resolved settings and its application host (<see cref="DagRunnerHost"/>).
/// Commands with hosted services (<c>scheduler</c>, <c>standalone</c>, <c>local-livy</c>) start and stop
/// it; the others only use its services.</summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Lock _gate = new();
    private Task? _stopping;
    private bool _started;

    private CliSession(CliIo io, DagRunnerSettings settings, IHost host, bool verbose)
    {
        Io = io;
        Settings = settings;
        _host = host;
        Verbose = verbose;
    }

    public CliIo Io { get; }

    public DagRunnerSettings Settings { get; }

    public bool Verbose { get; }

    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    public DagCatalog Catalog => Services.GetRequiredService<DagCatalog>();

    public RunLauncher Launcher => Services.GetRequiredService<RunLauncher>();

    public RunReadModel Runs => Services.GetRequiredService<RunReadModel>();

    public RunActions Actions => Services.GetRequiredService<RunActions>();

    public TaskRenderer Renderer => Services.GetRequiredService<TaskRenderer>();

    /// <summary>The host's services, as operators find them through their task context.</summary>
    public IServiceProvider Services => _host.Services;

    /// <exception cref="ConfigurationException">The settings are wrong.</exception>
    public static CliSession Start(CliIo io, GlobalOptions options, ParseResult parse, bool needsDags, Action<IServiceCollection>? hosted = null)
    {
        var verbose = parse.GetValue(options.Verbose);
        var settings = SettingsLoader.Load(options.Read(parse), io.Environment, io.CurrentDirectory, needsDags);
        var builder = DagRunnerHost.CreateBuilder(settings, new DagRunnerHostOptions { Verbose = verbose, Environment = io.Environment, Secrets = io.Secrets });
        hosted?.Invoke(builder.Services);
        var session = new CliSession(io, settings, builder.Build(), verbose);
        // Whoever starts the embedded LocalLivy (a hosted service, dev, dags test), it is said in one line.
        session.Services.GetRequiredService<EmbeddedLivyLauncher>().Started += started => io.Console.MarkupLine(Markup.Escape(
            $"No livy_default connection: started the embedded LocalLivy at {started.BaseUrl} (jobs from {io.Display(started.JobsRoot)}) " +
            $"for {string.Join(", ", ConnectionSource.Defaults)}."));
        return session;
    }

    /// <summary>Starts the hosted services.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            _started = true;
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the hosted services (once, however often called); <paramref name="cancellationToken"/>
    /// makes the stop no longer graceful (a scheduler cancels its running work).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? mine = null;
        Task stopping;
        lock (_gate)
        {
            if (_stopping is null)
            {
                // Recorded before the host is asked to stop, and the stop started outside the lock: a
                // stop can end the scheduler's loop inline, whose awaiter then asks to stop again.
                mine = _started ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
                _stopping = mine?.Task ?? Task.CompletedTask;
            }

            stopping = _stopping;
        }

        if (mine is not null)
            _ = StopHostAsync(mine, cancellationToken);
        return stopping;
    }

    private async Task StopHostAsync(TaskCompletionSource done, CancellationToken cancellationToken)
    {
        try
        {
            await _host.StopAsync(cancellationToken).ConfigureAwait(false);
            done.SetResult();
        }
        catch (OperationCanceledException e)
        {
            done.SetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (_host is IAsyncDisposable disposable)
                await disposable.DisposeAsync().ConfigureAwait(false);
            else
                _host.Dispose();
        }
    }
}
