using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Creates a Livy interactive session, runs <see cref="Statements"/> in order (a statement whose
/// output has status <c>error</c> fails the task with its exception and traceback), and always
/// closes the session. Session fields carry Livy's names; every string is a template.
/// </summary>
public sealed class LivySessionOperator : DagTask
{
    /// <summary>Creates the task.</summary>
    public LivySessionOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The session's language. Default: <see cref="SessionKind.PySpark"/>.</summary>
    public SessionKind Kind { get; set; } = SessionKind.PySpark;

    /// <summary>The statements, run in order.</summary>
    public IList<Statement> Statements { get; } = new List<Statement>();

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

    /// <summary>The session name. Default: a deterministic name per task attempt.</summary>
    [Templated]
    public string? Name { get; set; }

    /// <summary>The user to run the session as (Livy impersonation).</summary>
    [Templated]
    public string? ProxyUser { get; set; }

    /// <summary>Livy deletes the session when no request touched it for this many seconds. Default: none.</summary>
    public int? HeartbeatTimeoutInSecond { get; set; }

    /// <summary>Livy's <c>ttl</c>: the session's longest lifetime, e.g. <c>2h</c>. Default: none.</summary>
    [Templated]
    public string? Ttl { get; set; }

    /// <summary>The slowest interval between two state polls. Default: 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The Livy connection. Default: <c>livy_default</c>.</summary>
    public string LivyConnectionId { get; set; } = "livy_default";

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        throw new OperatorNotAvailableException(this);
}
