using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.LocalLivy;
using Microsoft.Extensions.Logging;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>
/// The embedded LocalLivy of one host: started at most once, by the first caller that needs Livy when
/// no <c>livy_default</c> is configured (a hosted service at start, or <c>dev</c> and <c>dags test</c> on
/// demand), and stopped with the host. <see cref="Started"/> is raised when it starts, so the front end
/// can say so in one line.
/// </summary>
public sealed class EmbeddedLivyLauncher(DagRunnerSettings settings, ConnectionSource connections, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalLivyServer? _server;

    /// <summary>Raised once the embedded LocalLivy listens, before the caller that started it goes on.</summary>
    public event Action<EmbeddedLivyStarted>? Started;

    /// <summary>Where the embedded LocalLivy listens, or null when it does not run.</summary>
    public Uri? BaseUrl => _server?.BaseUrl;

    /// <summary>Whether <paramref name="dag"/> needs the embedded LocalLivy when Livy is not configured
    /// (<see cref="EmbeddedLivy.Needed"/> over this host's connections).</summary>
    public bool IsNeededFor(DagRunner.Engine.Definitions.DagDefinition dag) => EmbeddedLivy.Needed(dag, id => connections.Uri(id) is not null);

    /// <summary>Starts the embedded LocalLivy unless Livy is configured or it runs already, and points the
    /// default connections at it; returns where it listens, or null when Livy is configured.</summary>
    public async Task<Uri?> StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is null)
            {
                _server = await EmbeddedLivy.StartUnlessConfiguredAsync(settings, connections, time, loggers, cancellationToken).ConfigureAwait(false);
                if (_server is not null)
                    Started?.Invoke(new EmbeddedLivyStarted(_server.BaseUrl, _server.JobsRoot));
            }

            return _server?.BaseUrl;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the embedded LocalLivy if it runs (its sessions and batches end with it).</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_server is { } server)
            {
                _server = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
