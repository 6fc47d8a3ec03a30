using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Emr;
using DagRunner.LocalLivy.Execution;
using DagRunner.LocalLivy.Hdfs;
using DagRunner.LocalLivy.Http;
using DagRunner.LocalLivy.Livy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DagRunner.LocalLivy;

/// <summary>A running LocalLivy: Livy (<c>/sessions</c>, <c>/batches</c>), YARN
/// (<c>/ws/v1/cluster</c>), Spark (<c>/api/v1</c>), WebHDFS (<c>/webhdfs/v1</c>) and EMR (JSON 1.1 on
/// <c>POST /</c>) on one port.
/// Dispose it to stop: every child process ends with it.</summary>
public sealed class LocalLivyServer : IAsyncDisposable
{
    private readonly LocalLivyOptions _options;
    private readonly LocalCluster _cluster;
    private readonly HdfsFolder _hdfs;
    private readonly EmrService _emr;
    private readonly RecoveryStore? _store;
    private readonly RequestTimings _timings = new();
    private readonly bool _ownsStateFolder;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private LivyFront _front;
    private Task _sweeper = Task.CompletedTask;
    private bool _disposed;

    private LocalLivyServer(LocalLivyOptions options, string stateFolder, bool ownsStateFolder, string hdfsRoot)
    {
        _options = options;
        _ownsStateFolder = ownsStateFolder;
        StateFolder = stateFolder;
        SparkSubmitPath = Tools.WriteSparkSubmit(stateFolder);
        _hdfs = new HdfsFolder(hdfsRoot);
        _cluster = new LocalCluster(options, stateFolder, hdfsRoot);
        _emr = new EmrService(_cluster);
        _store = options.Recovery ? new RecoveryStore(Path.Join(stateFolder, "livy-recovery.json")) : null;
        _front = NewFront();
    }

    /// <summary>The base URL of every API, e.g. <c>http://127.0.0.1:8998/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The port the server listens on (the one picked when <see cref="LocalLivyOptions.Port"/> was 0).</summary>
    public int Port => BaseUrl.Port;

    /// <summary>The Spark monitoring API root, <c>{BaseUrl}api/v1/</c>.</summary>
    public Uri SparkUrl => new(BaseUrl, "api/v1/");

    /// <summary>The ResourceManager REST root, <c>{BaseUrl}ws/v1/cluster/</c>.</summary>
    public Uri YarnUrl => new(BaseUrl, "ws/v1/cluster/");

    /// <summary>The WebHDFS root, <c>{BaseUrl}webhdfs/v1/</c>.</summary>
    public Uri WebHdfsUrl => new(BaseUrl, "webhdfs/v1/");

    /// <summary>The EMR endpoint (an EMR client's endpoint override): the base URL itself, as EMR's
    /// JSON 1.1 protocol posts every operation to <c>/</c> with an <c>X-Amz-Target</c> header.</summary>
    public Uri EmrUrl => BaseUrl;

    /// <summary>The folder holding recovery state and the apps' working folders and driver logs.</summary>
    public string StateFolder { get; }

    /// <summary>A <c>spark-submit</c> for local mode, <c>{StateFolder}/bin/spark-submit</c> (Python 3): it
    /// submits its application to the LocalLivy named by the <c>DAGRUNNER_LOCAL_LIVY</c> environment
    /// variable and prints what Spark's YARN client prints, so a caller of spark-submit is checked
    /// against this server's YARN view as it would be against a cluster's.</summary>
    public string SparkSubmitPath { get; }

    /// <summary>The folder job paths resolve against.</summary>
    public string JobsRoot => Path.GetFullPath(_options.JobsRoot);

    /// <summary>The local folder WebHDFS serves.</summary>
    public string HdfsRoot => _hdfs.Root;

    /// <summary>Faults to inject; change them while the server runs.</summary>
    public LocalLivyFaults Faults => _options.Faults;

    /// <summary>Starts a server and returns once it listens.</summary>
    public static async Task<LocalLivyServer> StartAsync(LocalLivyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ownsState = options.StateFolder is null;
        var stateFolder = Path.GetFullPath(options.StateFolder ?? Path.Join(Path.GetTempPath(), "local-livy-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(stateFolder);
        var hdfsRoot = Path.GetFullPath(options.HdfsRoot ?? Path.Join(stateFolder, "hdfs"));
        Directory.CreateDirectory(hdfsRoot);
        if (options.HdfsSeed is { } seed)
            HdfsSeeding.CopyMissing(Path.GetFullPath(seed), hdfsRoot);

        var server = new LocalLivyServer(options, stateFolder, ownsState, hdfsRoot);
        try
        {
            server._store?.Load(server._front, server._front.Changed);
            await server.ListenAsync(options.Port, cancellationToken).ConfigureAwait(false);
            server._sweeper = server.SweepAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Restarts the Livy part on the same port, as a Livy restart does: with
    /// <paramref name="keepState"/> (recovery mode) records come back from disk and reattach to the
    /// apps that kept running; without it every session and batch is stopped first and ids restart at 0.</summary>
    public async Task RestartAsync(bool keepState, CancellationToken cancellationToken)
    {
        if (keepState && _store is null)
            throw new InvalidOperationException("Keeping state across a restart needs recovery mode (LocalLivyOptions.Recovery).");
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await StopListeningAsync().ConfigureAwait(false);
            if (keepState)
                _front.Changed();
            else
                await _front.StopEverythingAsync().ConfigureAwait(false);

            _front.Retire();
            _front = NewFront();
            if (keepState)
                _store!.Load(_front, _front.Changed);
            else
                _front.Changed();
            await ListenAsync(Port, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The server's own time per route (without injected latency), for benchmarks.</summary>
    public IReadOnlyDictionary<string, RouteTiming> RequestTimings() => _timings.Summary();

    /// <summary>Forgets the recorded request timings.</summary>
    public void ClearRequestTimings() => _timings.Clear();

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await _stopping.CancelAsync().ConfigureAwait(false);
            await StopListeningAsync().ConfigureAwait(false);
            await _sweeper.ConfigureAwait(false);
            try
            {
                await _emr.StopAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The rest of the stop (every process, the state folder) must run whatever the EMR clusters did.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _cluster.Logger.JobFailed(e, "EMR clusters at stop", 0);
            }

            if (_store is null)
            {
                await _front.StopEverythingAsync().ConfigureAwait(false);
                await _cluster.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                // Recovery keeps the records as they are now; the processes still end with the
                // server, and the next start reads their apps as failed by the stop.
                _store.Close(_front);
                await _cluster.DisposeAsync().ConfigureAwait(false);
            }
            if (_ownsStateFolder)
                TryDelete(StateFolder);
        }
        finally
        {
            _lifecycle.Release();
        }

        _stopping.Dispose();
    }

    private LivyFront NewFront() => new(_cluster, _store);

    // Nobody awaits a restart asked for over HTTP: its failure goes to the log.
    private async Task RestartFromHttpAsync(bool keepState)
    {
        try
        {
            await RestartAsync(keepState, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            _cluster.Logger.RestartFailed(e);
        }
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = StateFolder });
        builder.Logging.ClearProviders();
        // The host that embeds the server owns Ctrl+C and SIGTERM; ASP.NET's console lifetime would
        // swallow them (and a test process embedding the server would not stop on SIGTERM).
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(_options.Address, port, listen =>
            {
                if (_options.Certificate is { } certificate)
                    listen.UseHttps(certificate);
            });
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();

        Func<LivyFront> front = () => _front;
        Middleware.Use(app, _options, front, _timings);
        BatchEndpoints.Map(app, front);
        SessionEndpoints.Map(app, front);
        YarnEndpoints.Map(app, _cluster);
        SparkEndpoints.Map(app, _cluster);
        WebHdfsEndpoints.Map(app, _hdfs);
        EmrEndpoints.Map(app, _emr, _options.Faults.Emr);
        AdminEndpoints.Map(app, _options, front, _timings, RestartFromHttpAsync);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal));
        var host = _options.Address.Equals(System.Net.IPAddress.Any) || _options.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? "127.0.0.1"
            : bound.Host;
        BaseUrl = new Uri($"{bound.Scheme}://{host}:{bound.Port}/");
        _cluster.Urls.BaseUrl = BaseUrl.ToString().TrimEnd('/');
    }

    private async Task StopListeningAsync()
    {
        if (_app is not { } app)
            return;
        _app = null;
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    // Livy's garbage collector runs every minute; requests also sweep, so this only frees memory
    // and ends timed-out sessions when nobody asks.
    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    _front.Sweep();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _cluster.Logger.SweepFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
