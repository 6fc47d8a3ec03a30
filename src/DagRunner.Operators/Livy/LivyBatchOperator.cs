using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Submits a Spark application as a Livy batch (<c>POST /batches</c>), follows it to a final
/// state, streams its log, and verifies the outcome in YARN and/or Spark (<see cref="VerifyIn"/>).
/// Fields carry Livy's names; every string is a template.
/// </summary>
public sealed class LivyBatchOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    public LivyBatchOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The application: a jar, <c>.py</c> or <c>.R</c> URI, e.g. <c>local:///jobs/etl.py</c>. Required.</summary>
    [Templated]
    public string File { get; set; } = string.Empty;

    /// <summary>The main class, for a jar.</summary>
    [Templated]
    public string? ClassName { get; set; }

    /// <summary>Command-line arguments, passed as given.</summary>
    [Templated]
    public IList<string> Args { get; } = new List<string>();

    /// <summary>Jars added to the classpath.</summary>
    [Templated]
    public IList<string> Jars { get; } = new List<string>();

    /// <summary>Python files added to the path.</summary>
    [Templated]
    public IList<string> PyFiles { get; } = new List<string>();

    /// <summary>Files placed in the working folder of each executor.</summary>
    [Templated]
    public IList<string> Files { get; } = new List<string>();

    /// <summary>Archives extracted into the working folder of each executor.</summary>
    [Templated]
    public IList<string> Archives { get; } = new List<string>();

    /// <summary>Spark configuration.</summary>
    [Templated]
    public IDictionary<string, string> Conf { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Driver memory, e.g. <c>2g</c>.</summary>
    [Templated]
    public string? DriverMemory { get; set; }

    /// <summary>Driver cores.</summary>
    public int? DriverCores { get; set; }

    /// <summary>Executor memory, e.g. <c>4g</c>.</summary>
    [Templated]
    public string? ExecutorMemory { get; set; }

    /// <summary>Cores per executor.</summary>
    public int? ExecutorCores { get; set; }

    /// <summary>Number of executors.</summary>
    public int? NumExecutors { get; set; }

    /// <summary>The YARN queue.</summary>
    [Templated]
    public string? Queue { get; set; }

    /// <summary>The batch name. Default: a deterministic name per task attempt, so a lost response never leads to a second submission.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>The user to run the application as (Livy impersonation).</summary>
    [Templated]
    public string? ProxyUser { get; set; }

    /// <summary>Where the outcome is double-checked after Livy's final state. Default: <see cref="VerifyIn.Yarn"/>.</summary>
    public VerifyIn VerifyIn { get; set; } = VerifyIn.Yarn;

    /// <summary>The slowest interval between two state polls. Default: 10 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Livy connection. Default: <c>livy_default</c>.</summary>
    public string LivyConnectionId { get; set; } = "livy_default";

    /// <summary>The Spark REST connection used for verification. Default: <c>spark_default</c>.</summary>
    public string SparkConnectionId { get; set; } = "spark_default";

    /// <summary>The YARN ResourceManager connection used for verification. Default: <c>yarn_default</c>.</summary>
    public string YarnConnectionId { get; set; } = "yarn_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        throw new OperatorNotAvailableException(this);
}
