using DagRunner.Operators.Templates;
using DagRunner.Sdk;
using DagRunner.Templating.Literals;

namespace DagRunner.Operators;

/// <summary>
/// What <see cref="SparkSubmitOperator"/> (spark-submit on the runner's host) and <see cref="SshSparkSubmitOperator"/>
/// (spark-submit on a remote host over SSH) share: spark-submit's options as typed fields, never a command
/// string, and how the outcome is verified. Every string is a template. The command is an argument list (no
/// shell reads it), shown in the task log one option per line with secrets masked. The attempt's YARN tag
/// joins <c>spark.yarn.tags</c>, so the app is found in YARN even when its id was never read: a retry or a
/// restarted runner follows it there instead of submitting the job twice.
/// </summary>
public abstract class SparkSubmitJobOperator : SparkJobOperator, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    protected SparkSubmitJobOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The application: a jar or a <c>.py</c> file, as spark-submit takes it (a path on the host that
    /// runs spark-submit, or an <c>hdfs://</c>/<c>s3://</c> URI). Required.</summary>
    [Templated]
    public string Application { get; set; } = string.Empty;

    /// <summary>The main class, for a jar (<c>--class</c>).</summary>
    [Templated]
    public string? ClassName { get; set; }

    /// <summary>The application's arguments, each passed as one argument, unchanged.</summary>
    [Templated]
    public IList<string> Args { get; } = new List<string>();

    /// <summary>Maven coordinates of packages to fetch (<c>--packages</c>).</summary>
    [Templated]
    public IList<string> Packages { get; } = new List<string>();

    /// <summary>The application's name. Default: <c>dagrunner-&lt;dag&gt;-&lt;task&gt;-&lt;run hash&gt;-&lt;try&gt;</c>.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary><c>client</c> (the driver runs inside spark-submit) or <c>cluster</c> (in YARN). Default: the
    /// connection's <c>deploy-mode</c>, else spark-submit's own (client).</summary>
    [Templated]
    public string? DeployMode { get; set; }

    /// <summary>The master URL, e.g. <c>yarn</c>. Default: the connection's.</summary>
    [Templated]
    public string? Master { get; set; }

    /// <summary>Variables added to spark-submit's environment, over the connection's <c>env.*</c> extras.
    /// Values whose names say they are secret are masked in the log.</summary>
    [Templated]
    public IDictionary<string, string> Env { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The spark-submit settings of the host it runs on (master, deploy mode, spark-submit's path,
    /// environment). Default: <c>spark_submit_default</c>; when it is not configured, spark-submit on the PATH.</summary>
    [Templated]
    public string SparkSubmitConnectionId { get; set; } = "spark_submit_default";

    /// <summary>Where the outcome is decided on evidence besides spark-submit's exit code. Default:
    /// <see cref="VerifyIn.Yarn"/> (in cluster mode spark-submit's exit code is not trusted on its own). Set
    /// <see cref="VerifyIn.None"/> for a master that is not YARN.</summary>
    public VerifyIn VerifyIn { get; set; } = VerifyIn.Yarn;

    /// <summary>The slowest interval between two polls of YARN while an app is followed there. Default: 10 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long YARN and Spark may take to show how the app ended, and to be asked again while they
    /// cannot be reached, before the verdict is unknown (a retry then asks again instead of submitting).
    /// Default: 1 minute.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long YARN may stay unreachable while the app is followed there before the task fails,
    /// saying so. Default: 10 minutes.</summary>
    public TimeSpan UnreachableTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long stopping spark-submit and killing its YARN app may take after a timeout or a
    /// cancellation. Default: 3 minutes.</summary>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The Spark REST connection used for verification. Default: <c>spark_default</c>.</summary>
    [Templated]
    public string SparkConnectionId { get; set; } = "spark_default";

    /// <summary>The YARN ResourceManager connection used to follow and verify the app. Default: <c>yarn_default</c>.</summary>
    [Templated]
    public string YarnConnectionId { get; set; } = "yarn_default";

    // Arguments and conf reach the application: their literals are in its language, told by the file.
    LiteralLanguage ITemplatedOperator.FieldLanguage => Path.GetExtension(Application).ToUpperInvariant() switch
    {
        ".PY" => LiteralLanguage.Python,
        ".R" => LiteralLanguage.R,
        _ => LiteralLanguage.Scala,
    };

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) =>
        new("spark-submit", "spark-submit.sh", "bash", SparkSubmit.SparkSubmitJob.Describe(SparkSubmit.SparkSubmitJob.Command(this, rendered, context, SparkSubmit.SparkSubmitSettings.Default), context));
}
