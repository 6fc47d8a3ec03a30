using DagRunner.Operators.Livy.Session;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.LocalLivy;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating;
using DagRunner.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>A LocalLivy on loopback with the four default connections pointing at it, and task
/// contexts whose services hold the remote clients, as a host gives them.</summary>
internal sealed class LivyTestbed : IAsyncDisposable, IServiceProvider
{
    private LivyTestbed(LocalLivyServer server, TempFolder jobs, TimeProvider clientTime, Func<ClientOptions, ClientOptions>? clientOptions, bool proxied)
    {
        Server = server;
        Jobs = jobs;
        Proxy = proxied ? new RecordingProxy(server.BaseUrl) : null;
        var uri = (Proxy?.BaseUrl ?? server.BaseUrl).ToString();
        Clients = new RemoteClients(
            id => id is "livy_default" or "spark_default" or "yarn_default" or "webhdfs_default" or "http_default" ? Connection.Parse(id, uri)
                : Connections.TryGetValue(id, out var other) ? Connection.Parse(id, other) : null,
            (clientOptions ?? (o => o))(new ClientOptions { RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(20), MaxRetries = 30, TimeProvider = clientTime }),
            NullLoggerFactory.Instance);
    }

    public LocalLivyServer Server { get; }

    /// <summary>More connections by id (spark-submit, SSH), read each time a client asks.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>The proxy the clients go through, when started with <c>proxied</c> (faults after the
    /// server handled a request: lost answers).</summary>
    public RecordingProxy? Proxy { get; }
    public TempFolder Jobs { get; }
    public RemoteClients Clients { get; }
    /// <summary>The handles the bed's contexts record: shared by every context, as a runner's run store is.</summary>
    public CheckpointStore Checkpoints { get; } = CheckpointStore.InMemory();

    /// <summary>Starts the server; <paramref name="clientTime"/> is the operators' clock (polls, pokes);
    /// <paramref name="clientOptions"/> changes the clients' retries (30 fast ones by default);
    /// <paramref name="proxied"/> puts a <see cref="RecordingProxy"/> between the clients and the server.</summary>
    public static async Task<LivyTestbed> StartAsync(Action<LocalLivyOptions>? configure = null, TimeProvider? clientTime = null, Func<ClientOptions, ClientOptions>? clientOptions = null, bool proxied = false)
    {
        var jobs = new TempFolder("operator-jobs");
        var options = new LocalLivyOptions { Port = 0, JobsRoot = jobs.Path };
        configure?.Invoke(options);
        return new LivyTestbed(await LocalLivyServer.StartAsync(options, TestContext.Current.CancellationToken), jobs, clientTime ?? TimeProvider.System, clientOptions, proxied);
    }

    /// <summary>Templates resolve in the jobs folder, as the server's local: files do.</summary>
    public TaskTemplates Templates => _templates ??= new TaskTemplates(new TemplateLibrary(new TemplateOptions { TemplatesFolder = Jobs.Path }));

    public TaskContext Context(string taskId, TextWriter log, int tryNumber = 1) => Contexts.For(taskId, log, services: this, tryNumber: tryNumber, checkpoints: Checkpoints);

    public object? GetService(Type serviceType) =>
        serviceType == typeof(RemoteClients) ? Clients
        : serviceType == typeof(TaskTemplates) ? Templates
        : serviceType == typeof(WarmSessions) ? Warm
        : null;

    /// <summary>Off unless a test turns it on, as in the host.</summary>
    public WarmSessions Warm { get; } = new();

    private TaskTemplates? _templates;

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        await Server.DisposeAsync();
        Jobs.Dispose();
    }
}
