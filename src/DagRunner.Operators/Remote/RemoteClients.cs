using System.Collections.Concurrent;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Emr;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Spark;
using DagRunner.Clients.WebHdfs;
using DagRunner.Clients.Yarn;
using DagRunner.Sdk;
using Microsoft.Extensions.Logging;

namespace DagRunner.Operators.Remote;

/// <summary>The clients of the remote systems, one per connection id and kept for the host's
/// lifetime (so connections are pooled), built from the host's connection settings.</summary>
public sealed class RemoteClients : IDisposable
{
    private readonly Func<string, Connection?> _connections;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<(string Service, string Id), RestTransport> _transports = new();
    private readonly Dictionary<string, EmrClient> _emr = new(StringComparer.Ordinal);

    /// <summary>Clients over <paramref name="connections"/>, which returns null for an id that is not configured.</summary>
    public RemoteClients(Func<string, Connection?> connections, ClientOptions options, ILoggerFactory loggers)
    {
        _connections = connections;
        Options = options;
        _loggers = loggers;
    }

    /// <summary>Retry and timing options of every client.</summary>
    public ClientOptions Options { get; }

    /// <summary>The clock operators poll with.</summary>
    public TimeProvider Time => Options.TimeProvider;

    /// <summary>The clients offered to <paramref name="context"/>'s task.</summary>
    /// <exception cref="InvalidOperationException">The host offers no remote clients.</exception>
    public static RemoteClients For(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Services?.GetService(typeof(RemoteClients)) as RemoteClients
            ?? throw new InvalidOperationException($"Task '{context.TaskId}' needs remote connections, but its host offers none.");
    }

    /// <summary>The Livy client of a connection.</summary>
    public LivyClient Livy(string connectionId) => new(Transport("Livy", connectionId));

    /// <summary>The YARN ResourceManager client of a connection.</summary>
    public YarnClient Yarn(string connectionId) => new(Transport("YARN", connectionId));

    /// <summary>The Spark monitoring client of a connection.</summary>
    public SparkClient Spark(string connectionId) => new(Transport("Spark", connectionId));

    /// <summary>The WebHDFS client of a connection.</summary>
    public WebHdfsClient WebHdfs(string connectionId) => new(Transport("WebHDFS", connectionId));

    /// <summary>The Amazon EMR client of an <c>aws://</c> connection (region, credentials, endpoint override).</summary>
    public EmrClient Emr(string connectionId)
    {
        // Under a lock rather than a lazy: a connection that is not configured yet fails now, and is not remembered failing.
        lock (_emr)
        {
            if (!_emr.TryGetValue(connectionId, out var client))
            {
                // The host's retry and timeout settings, as for every other client.
                var options = EmrConnection.Options(Connection(connectionId), Time) with
                {
                    RequestTimeout = Options.RequestTimeout,
                    MaxRetries = Options.MaxRetries,
                    RetryDelay = Options.RetryDelay,
                    MaxRetryDelay = Options.MaxRetryDelay,
                };
                _emr[connectionId] = client = new EmrClient(options, _loggers.CreateLogger<EmrClient>());
            }

            return client;
        }
    }

    /// <summary>The plain HTTP transport of a connection (for HTTP tasks).</summary>
    public RestTransport Http(string connectionId) => Transport("HTTP", connectionId);

    /// <summary>The connection behind <paramref name="connectionId"/>, masked when printed.</summary>
    public Connection Connection(string connectionId) =>
        _connections(connectionId) ?? throw new ConnectionException(
            $"The connection '{connectionId}' is not configured: set DAGRUNNER_CONN_{connectionId.ToUpperInvariant()} " +
            $"or \"connections\": {{ \"{connectionId}\": \"{Example(connectionId)}\" }} in dagrunner.json.");

    // What a URI of the kind the id suggests looks like, for the message above.
    private static string Example(string connectionId) =>
        connectionId.Contains("ssh", StringComparison.OrdinalIgnoreCase) ? "ssh://user@host:22?key-file=~/.ssh/id_ed25519"
        : connectionId.Contains("spark_submit", StringComparison.OrdinalIgnoreCase) ? "spark-submit://yarn?spark-submit=/opt/spark/bin/spark-submit"
        : connectionId.Contains("aws", StringComparison.OrdinalIgnoreCase) ? "aws://eu-west-1"
        : "http://host:port";

    /// <summary>Whether <paramref name="connectionId"/> is configured (a malformed URI is, and fails when used).</summary>
    public bool IsConfigured(string connectionId)
    {
        try
        {
            return _connections(connectionId) is not null;
        }
        catch (ConnectionException)
        {
            return true;
        }
    }

    /// <summary>Closes every client's connections.</summary>
    public void Dispose()
    {
        foreach (var transport in _transports.Values)
            transport.Dispose();
        lock (_emr)
        {
            foreach (var emr in _emr.Values)
                emr.Dispose();
        }
    }

    private RestTransport Transport(string service, string connectionId) =>
        _transports.GetOrAdd((service, connectionId), key =>
        {
            var connection = Connection(key.Id);
            if (!connection.IsHttp)
                throw new ConnectionException($"The connection '{key.Id}' is a {connection.BaseUri.Scheme}:// connection; {key.Service} is asked over http:// or https://.");
            return new RestTransport(connection, key.Service, Options, _loggers.CreateLogger("DagRunner.Clients." + key.Service));
        });
}
