using System.Collections.Concurrent;
using DagRunner.Clients.Connections;
using DagRunner.Hosting.Configuration;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Connections;

/// <summary>
/// Where a connection id's URI comes from, first found wins: an override of this process (the
/// embedded LocalLivy), the environment variable <c>DAGRUNNER_CONN_&lt;ID&gt;</c> (the id
/// upper-cased), then <c>"connections"</c> in <c>dagrunner.json</c>. The secrets of every connection it
/// knows (passwords, tokens, secret extras and headers, even of a URI that does not parse) are registered
/// in <c>secrets</c>, so that nothing the runner writes shows them.
/// </summary>
public sealed class ConnectionSource
{
    private readonly ConcurrentDictionary<string, string> _overrides = new(StringComparer.Ordinal);
    private readonly DagRunnerSettings _settings;
    private readonly Func<string, string?> _environment;
    private readonly SecretMasker? _secrets;

    /// <summary>Reads connections from <paramref name="settings"/> and <paramref name="environment"/>; registers
    /// their secrets in <paramref name="secrets"/> (those of the configured and default ones at once).</summary>
    public ConnectionSource(DagRunnerSettings settings, Func<string, string?> environment, SecretMasker? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _environment = environment;
        _secrets = secrets;
        // At once, not when first used: a shell task that prints its environment runs before any Livy task.
        foreach (var id in settings.Connections.Keys.Concat(Defaults).Concat(["http_default", "spark_submit_default", "ssh_default", "aws_default"]).Distinct(StringComparer.Ordinal))
        {
            if (Uri(id) is { } uri)
                secrets?.AddRange(Connection.SecretsOf(uri));
        }

        // Every DAGRUNNER_CONN_* of this process too, whatever its id: tasks inherit the environment,
        // so a task that prints it shows connections no DAG names.
        if (secrets is not null)
        {
            foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                if (variable.Key is string name && name.StartsWith(VariablePrefix, StringComparison.Ordinal) && variable.Value is string { Length: > 0 } uri)
                    secrets.AddRange(Connection.SecretsOf(uri));
            }
        }
    }

    private const string VariablePrefix = "DAGRUNNER_CONN_";

    /// <summary>The four connections the operators use by default.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["livy_default", "spark_default", "yarn_default", "webhdfs_default"];

    /// <summary>The URI of <paramref name="id"/>, or null when it is not configured.</summary>
    public string? Uri(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _overrides.TryGetValue(id, out var overridden) ? overridden
            : _environment(VariableName(id)) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : _settings.Connections.GetValueOrDefault(id);
    }

    /// <summary>The parsed connection, or null when it is not configured.</summary>
    /// <exception cref="ConnectionException">The URI is malformed (the message names the connection, not its password).</exception>
    public Connection? Find(string id)
    {
        if (Uri(id) is not { } uri)
            return null;
        _secrets?.AddRange(Connection.SecretsOf(uri));
        var connection = Connection.Parse(id, uri);
        _secrets?.AddRange([connection.Password, connection.Token]);
        return connection;
    }

    /// <summary>Points <paramref name="id"/> at <paramref name="uri"/> for this process.</summary>
    public void Override(string id, string uri) => _overrides[id] = uri;

    /// <summary><c>DAGRUNNER_CONN_LIVY_DEFAULT</c> for <c>livy_default</c>.</summary>
    public static string VariableName(string id) => VariablePrefix + id.ToUpperInvariant();
}
