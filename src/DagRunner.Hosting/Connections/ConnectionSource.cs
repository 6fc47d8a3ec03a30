using System.Collections.Concurrent;
using DagRunner.Clients.Connections;
using DagRunner.Hosting.Configuration;

namespace DagRunner.Hosting.Connections;

/// <summary>
/// Where a connection id's URI comes from, first found wins: an override of this process (the
/// embedded LocalLivy), the environment variable <c>DAGRUNNER_CONN_&lt;ID&gt;</c> (the id
/// upper-cased), then <c>"connections"</c> in <c>dagrunner.json</c>.
/// </summary>
public sealed class ConnectionSource(DagRunnerSettings settings, Func<string, string?> environment)
{
    private readonly ConcurrentDictionary<string, string> _overrides = new(StringComparer.Ordinal);

    /// <summary>The four connections the operators use by default.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["livy_default", "spark_default", "yarn_default", "webhdfs_default"];

    /// <summary>The URI of <paramref name="id"/>, or null when it is not configured.</summary>
    public string? Uri(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _overrides.TryGetValue(id, out var overridden) ? overridden
            : environment(VariableName(id)) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : settings.Connections.GetValueOrDefault(id);
    }

    /// <summary>The parsed connection, or null when it is not configured.</summary>
    /// <exception cref="ConnectionException">The URI is malformed (the message names the connection, not its password).</exception>
    public Connection? Find(string id) => Uri(id) is { } uri ? Connection.Parse(id, uri) : null;

    /// <summary>Points <paramref name="id"/> at <paramref name="uri"/> for this process.</summary>
    public void Override(string id, string uri) => _overrides[id] = uri;

    /// <summary><c>DAGRUNNER_CONN_LIVY_DEFAULT</c> for <c>livy_default</c>.</summary>
    public static string VariableName(string id) => "DAGRUNNER_CONN_" + id.ToUpperInvariant();
}
