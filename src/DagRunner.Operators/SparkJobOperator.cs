using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// What every operator that submits a Spark application shares, whichever way it is submitted (a Livy batch or
/// session, spark-submit here or over SSH): the application's resources and configuration. Every string is a
/// template. The attempt's YARN tag is added to <c>spark.yarn.tags</c> by each of them.
/// </summary>
public abstract class SparkJobOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    protected SparkJobOperator(string taskId)
        : base(taskId)
    {
    }

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

    /// <summary>Spark configuration. Entries whose names say they are secret are masked wherever the runner writes.</summary>
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

    /// <summary>The user to run as (impersonation: Livy's <c>proxyUser</c>, spark-submit's <c>--proxy-user</c>).</summary>
    [Templated]
    public string? ProxyUser { get; set; }
}
