namespace DagRunner.Sdk;

/// <summary>
/// The base of every operator and sensor: an id, settings, parameters and dependencies.
/// Derive from it (and implement <see cref="ExecuteAsync"/>) to write an operator of your own.
/// </summary>
public abstract partial class DagTask : TaskSettings
{
    /// <summary>Creates a task with the given id: letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.</summary>
    protected DagTask(string taskId)
    {
        Identifiers.EnsureValid(taskId, "task id", nameof(taskId));
        TaskId = taskId;
    }

    /// <summary>The task's id, unique within its DAG.</summary>
    public string TaskId { get; }

    /// <summary>The DAG the task was added to, or <see langword="null"/> before <see cref="Dag.Add{T}"/>.</summary>
    public Dag? Dag { get; private set; }

    /// <summary>Where the task was added to its DAG.</summary>
    public SourceLocation Source { get; private set; } = SourceLocation.Unknown;

    /// <summary>Parameters for this task's templates; they overlay the DAG's <see cref="Dag.Params"/>.</summary>
    public IDictionary<string, object?> Params { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The name of the operator type, as shown by the CLI and stored in definitions.</summary>
    public virtual string OperatorName => GetType().Name;

    /// <summary>
    /// Runs one attempt of the task and returns its output (or <see langword="null"/>), which
    /// downstream tasks see as <c>outputs.&lt;task_id&gt;</c>. Throw to fail the attempt.
    /// </summary>
    public abstract Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken);

    internal void AttachTo(Dag dag, SourceLocation source)
    {
        Dag = dag;
        Source = source;
    }

    /// <inheritdoc />
    public override string ToString() => $"{OperatorName} {TaskId}";
}
