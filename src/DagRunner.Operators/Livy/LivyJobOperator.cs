using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// What a Livy batch and a Livy session share: the Spark application's resources and
/// configuration, with Livy's field names, and the Livy connection. Every string is a template.
/// </summary>
public abstract class LivyJobOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    protected LivyJobOperator(string taskId)
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

    /// <summary>The Livy name. Default: a deterministic name per task attempt, so a lost response never leads to a second submission.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>The user to run as (Livy impersonation).</summary>
    [Templated]
    public string? ProxyUser { get; set; }

    /// <summary>The Livy connection. Default: <c>livy_default</c>.</summary>
    [Templated]
    public string LivyConnectionId { get; set; } = "livy_default";
}
