using DagRunner.Hosting.Configuration;
using DagRunner.LocalLivy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>LocalLivy on its own (<c>local-livy</c>) as a hosted service: it listens once the host has
/// started and stops with it, ending its sessions and batches.</summary>
/// <exception cref="ArgumentException">At start: a setting is not valid.</exception>
/// <exception cref="IOException">At start: the port is taken, or a folder cannot be used.</exception>
public sealed class LocalLivyService(DagRunnerSettings settings, LocalLivyServing serving, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private LocalLivyServer? _server;

    /// <summary>Where it serves, once started.</summary>
    public LocalLivyServed? Served => _server is { } server ? new LocalLivyServed(server.BaseUrl, server.JobsRoot, server.HdfsRoot) : null;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = EmbeddedLivy.Options(settings, time);
        options.LoggerFactory = loggers;
        options.Port = serving.Port;
        options.JobsRoot = serving.JobsRoot ?? options.JobsRoot;
        options.HdfsRoot = serving.HdfsRoot ?? options.HdfsRoot;
        options.HdfsSeed = serving.HdfsSeed ?? options.HdfsSeed;
        options.Recovery = serving.Recovery;
        options.CsrfProtection = serving.CsrfProtection;
        options.ClusterModeQuirk = serving.ClusterModeQuirk;
        options.StateRetention = serving.StateRetention ?? options.StateRetention;
        options.Faults.Latency = serving.FaultLatency;
        options.Faults.ServerErrorRate = serving.FaultErrorRate;
        _server = await LocalLivyServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
            await server.DisposeAsync().ConfigureAwait(false);
    }
}
