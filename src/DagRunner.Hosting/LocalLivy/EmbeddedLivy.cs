using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Connections;
using DagRunner.Operators;
using Microsoft.Extensions.Logging;
using DagRunner.LocalLivy;

namespace DagRunner.Hosting.LocalLivy;

/// <summary>How DagRunner runs its embedded LocalLivy: jobs come from the templates folder (so
/// <c>local:///jobs/x.py</c> is <c>templates/jobs/x.py</c>), state lives under the home folder, and
/// the WebHDFS root starts with the files of <c>local-hdfs/</c> beside the templates folder (sample input).</summary>
public static class EmbeddedLivy
{
    /// <summary>The folder under the home folder holding the server's recovery state, app folders
    /// (driver logs) and, by default, the WebHDFS root.</summary>
    public static string StateFolder(DagRunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(settings.Home, "local-livy");
    }

    /// <summary>Options for a server that serves this project's jobs.</summary>
    public static LocalLivyOptions Options(DagRunnerSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var state = StateFolder(settings);
        var seed = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.TemplatesFolder)) ?? ".", "local-hdfs");
        return new LocalLivyOptions
        {
            JobsRoot = Directory.Exists(settings.TemplatesFolder) ? settings.TemplatesFolder : Directory.GetCurrentDirectory(),
            StateFolder = state,
            HdfsRoot = Path.Combine(state, "hdfs"),
            HdfsSeed = Directory.Exists(seed) ? seed : null,
            TimeProvider = time,
        };
    }

    /// <summary>Whether <paramref name="dag"/> has tasks that talk to Livy, YARN, Spark or WebHDFS (spark-submit
    /// tasks, which verify in YARN, too; HTTP tasks when they use one of those connections), or EMR tasks whose AWS
    /// connection <paramref name="isConfigured"/> says is not configured (they run on LocalLivy's EMR endpoint; an EMR
    /// DAG against real AWS must not get the local YARN to verify in).</summary>
    public static bool Needed(DagDefinition dag, Func<string, bool> isConfigured)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(isConfigured);
        return dag.Tasks.Any(t => t.Instance is LivyJobOperator or SparkSubmitJobOperator or WebHdfsSensor
            || (t.Instance is HttpSensor sensor && ConnectionSource.Defaults.Contains(sensor.HttpConnectionId))
            || (t.Instance is HttpOperator call && ConnectionSource.Defaults.Contains(call.HttpConnectionId))
            || (AwsConnectionOf(t.Instance) is { } aws && !isConfigured(aws)));
    }

    private static string? AwsConnectionOf(Sdk.DagTask? task) => task switch
    {
        EmrAddStepsOperator steps => steps.AwsConnectionId,
        EmrStepSensor sensor => sensor.AwsConnectionId,
        EmrCreateJobFlowOperator create => create.AwsConnectionId,
        EmrTerminateJobFlowOperator terminate => terminate.AwsConnectionId,
        EmrJobFlowSensor sensor => sensor.AwsConnectionId,
        _ => null,
    };

    private const string SparkSubmitConnection = "spark_submit_default";

    private const string AwsConnection = "aws_default";

    /// <summary>The AWS connection of a LocalLivy: its EMR endpoint, with keys of its own (the endpoint checks that
    /// requests are signed, not with what: nobody's real credentials are needed, or sent).</summary>
    public static string LocalAwsUri(LocalLivyServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return $"aws://local-livy:local-livy-key@us-east-1?endpoint={Uri.EscapeDataString(server.EmrUrl.ToString())}";
    }

    /// <summary>The spark-submit connection of a LocalLivy: its entry point, which submits to that server and
    /// registers the app in its YARN and Spark views (spark-submit's default client mode).</summary>
    public static string LocalSparkSubmitUri(LocalLivyServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return $"spark-submit://yarn?spark-submit={Uri.EscapeDataString(server.SparkSubmitPath)}&env.DAGRUNNER_LOCAL_LIVY={Uri.EscapeDataString(server.BaseUrl.ToString())}";
    }

    /// <summary>When <c>livy_default</c> is not configured, starts a LocalLivy on a free loopback port
    /// and points the four default connections at it, <c>spark_submit_default</c>, when it is not configured
    /// either, at the server's spark-submit entry point, and <c>aws_default</c>, when it is not configured, at
    /// its EMR endpoint; returns null when Livy is configured.</summary>
    public static async Task<LocalLivyServer?> StartUnlessConfiguredAsync(DagRunnerSettings settings, ConnectionSource connections, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        if (connections.Uri("livy_default") is not null)
            return null;
        var options = Options(settings, time);
        options.Port = 0;
        options.LoggerFactory = loggers;
        var server = await LocalLivyServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        foreach (var id in ConnectionSource.Defaults)
        {
            if (id == "livy_default" || connections.Uri(id) is null)
                connections.Override(id, server.BaseUrl.ToString());
        }

        if (connections.Uri(SparkSubmitConnection) is null)
            connections.Override(SparkSubmitConnection, LocalSparkSubmitUri(server));
        if (connections.Uri(AwsConnection) is null)
            connections.Override(AwsConnection, LocalAwsUri(server));

        return server;
    }
}
