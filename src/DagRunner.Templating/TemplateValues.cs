namespace DagRunner.Templating;

/// <summary>The values a task attempt's templates see, as the contract names them (<c>ds</c>, <c>params</c>, <c>outputs</c>, ...).</summary>
public sealed record TemplateValues
{
    /// <summary>The DAG's id (<c>dag_id</c>).</summary>
    public required string DagId { get; init; }

    /// <summary>The task's id (<c>task_id</c>).</summary>
    public required string TaskId { get; init; }

    /// <summary>The run's id (<c>run_id</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The logical date (<c>logical_date</c>; <c>ds</c>, <c>ts</c> and their <c>_nodash</c> forms derive from it).</summary>
    public required DateTimeOffset LogicalDate { get; init; }

    /// <summary>The start of the data interval (<c>data_interval_start</c>).</summary>
    public required DateTimeOffset DataIntervalStart { get; init; }

    /// <summary>The end of the data interval (<c>data_interval_end</c>).</summary>
    public required DateTimeOffset DataIntervalEnd { get; init; }

    /// <summary>The attempt number, from 1 (<c>try_number</c>).</summary>
    public int TryNumber { get; init; } = 1;

    /// <summary>The parameters, already overlaid DAG, then task, then run conf (<c>params</c>).</summary>
    public IReadOnlyDictionary<string, object?> Params { get; init; } = new Dictionary<string, object?>();

    /// <summary>The run's conf (<c>dag_run.conf</c>).</summary>
    public IReadOnlyDictionary<string, object?> Conf { get; init; } = new Dictionary<string, object?>();

    /// <summary>The upstream tasks' outputs by task id (<c>outputs.&lt;task_id&gt;</c>).</summary>
    public IReadOnlyDictionary<string, object?> Outputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>Upstream task ids whose outputs are not known yet (a preview before they ran): each renders
    /// as a placeholder such as <c>&lt;outputs.extract.app_id&gt;</c> instead of failing. Default: none.</summary>
    public IReadOnlyCollection<string> PendingOutputs { get; init; } = [];
}
