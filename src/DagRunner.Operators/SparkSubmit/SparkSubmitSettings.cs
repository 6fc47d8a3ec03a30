using System.Collections.Immutable;
using DagRunner.Clients.Connections;

namespace DagRunner.Operators.SparkSubmit;

/// <summary>
/// What a <c>spark-submit</c> connection says about the host spark-submit runs on, read from
/// <c>spark-submit://&lt;master&gt;[:port]?deploy-mode=cluster&amp;spark-submit=/opt/spark/bin/spark-submit&amp;env.HADOOP_CONF_DIR=/etc/hadoop/conf</c>.
/// The host names the master as Airflow's Spark connection does: <c>yarn</c>, <c>local</c> (<c>local[*]</c>),
/// or a standalone master's <c>host:port</c> (<c>spark://host:port</c>); the <c>master</c> extra, when given,
/// is taken as written (<c>k8s://https://...</c>). A task's own <c>Master</c> and <c>DeployMode</c> win.
/// A connection that is not configured means spark-submit on the PATH with the task's fields alone.
/// </summary>
internal sealed record SparkSubmitSettings(string Program, string? Master, string? DeployMode, ImmutableSortedDictionary<string, string> Environment)
{
    /// <summary>spark-submit on the PATH, nothing else set.</summary>
    public static SparkSubmitSettings Default { get; } = new("spark-submit", null, null, ImmutableSortedDictionary<string, string>.Empty);

    /// <summary>The settings of a parsed <c>spark-submit://</c> connection.</summary>
    /// <exception cref="ConnectionException">The connection is not a spark-submit:// one, or an extra is wrong.</exception>
    public static SparkSubmitSettings From(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.BaseUri.Scheme != "spark-submit")
            throw new ConnectionException($"The connection '{connection.Id}' is a {connection.BaseUri.Scheme}:// connection; spark-submit's settings are a spark-submit:// URI, e.g. spark-submit://yarn?deploy-mode=cluster&spark-submit=/opt/spark/bin/spark-submit.");
        var extras = connection.Extras;
        var known = new HashSet<string>(["master", "deploy-mode", "spark-submit"], StringComparer.OrdinalIgnoreCase);
        if (extras.Keys.FirstOrDefault(k => !known.Contains(k) && !k.StartsWith("env.", StringComparison.OrdinalIgnoreCase)) is { } unknown)
            throw new ConnectionException($"Connection '{connection.Id}': unknown extra '{unknown}' (master, deploy-mode, spark-submit, env.<NAME>).");
        var deployMode = extras.GetValueOrDefault("deploy-mode");
        if (!IsDeployMode(deployMode))
            throw new ConnectionException($"Connection '{connection.Id}': deploy-mode '{deployMode}' is neither client nor cluster.");
        var host = connection.BaseUri.Host;
        var master = extras.GetValueOrDefault("master") ?? host switch
        {
            "yarn" => "yarn",
            "local" => "local[*]",
            _ => connection.BaseUri.IsDefaultPort ? $"spark://{host}" : $"spark://{host}:{connection.BaseUri.Port}",
        };
        var environment = extras.Where(p => p.Key.StartsWith("env.", StringComparison.OrdinalIgnoreCase))
            .ToImmutableSortedDictionary(p => p.Key["env.".Length..], p => p.Value, StringComparer.Ordinal);
        return new SparkSubmitSettings(extras.GetValueOrDefault("spark-submit") is { Length: > 0 } program ? program : "spark-submit", master, deployMode, environment);
    }

    /// <summary>Whether <paramref name="deployMode"/> is empty (spark-submit's default), <c>client</c> or <c>cluster</c>.</summary>
    public static bool IsDeployMode(string? deployMode) => string.IsNullOrEmpty(deployMode) || deployMode is "client" or "cluster";
}
