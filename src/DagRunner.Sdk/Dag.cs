using System.Runtime.CompilerServices;
using DagRunner.Sdk.Runtime;

namespace DagRunner.Sdk;

/// <summary>
/// A directed acyclic graph of tasks and the schedule it runs on. Every <see cref="Dag"/> that a
/// DAG file constructs is discovered when the file loads; a file may define several.
/// </summary>
public sealed class Dag
{
    private readonly List<DagTask> _tasks = [];
    private readonly Dictionary<string, DagTask> _tasksById = new(StringComparer.Ordinal);

    /// <summary>Creates a DAG. <paramref name="dagId"/> must be unique across the DAGs folder.</summary>
    /// <param name="dagId">The id: letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.</param>
    /// <param name="sourceFile">Filled in by the compiler; do not pass.</param>
    /// <param name="sourceLine">Filled in by the compiler; do not pass.</param>
    public Dag(string dagId, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
    {
        Identifiers.EnsureValid(dagId, "DAG id", nameof(dagId));
        DagId = dagId;
        Source = new SourceLocation(sourceFile, sourceLine);
        DagCollector.Register(this);
    }

    /// <summary>The DAG's id.</summary>
    public string DagId { get; }

    /// <summary>Where the DAG was created.</summary>
    public SourceLocation Source { get; }

    /// <summary>A human description, shown by the CLI and the UI. Default: none.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// When runs are created: a 5-field cron expression, one of <c>@once</c>, <c>@hourly</c>,
    /// <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c>, or <see langword="null"/>
    /// for manual runs only. Default: <see langword="null"/>.
    /// </summary>
    public string? Schedule { get; set; }

    /// <summary>The IANA time zone the <see cref="Schedule"/> is read in (<c>Europe/Paris</c>: <c>0 6 * * *</c> is 6:00
    /// Paris time, summer and winter). Default: <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The first logical date the scheduler considers. Default: none (scheduled DAGs then start now).</summary>
    public DateTimeOffset? StartDate { get; set; }

    /// <summary>The last logical date the scheduler considers. Default: none.</summary>
    public DateTimeOffset? EndDate { get; set; }

    /// <summary>Whether the scheduler creates the runs missed since <see cref="StartDate"/>. Default: false.</summary>
    public bool Catchup { get; set; }

    /// <summary>How many runs of this DAG may be active at once. Default: 16.</summary>
    public int MaxActiveRuns { get; set; } = 16;

    /// <summary>How many tasks of one run may run at once. Default: 16.</summary>
    public int MaxActiveTasks { get; set; } = 16;

    /// <summary>Free-form tags for filtering in the CLI and UI.</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>Parameters available to templates as <c>params</c>; tasks and run conf overlay them.</summary>
    public IDictionary<string, object?> Params { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Settings applied to every task that does not set its own.</summary>
    public TaskDefaults Defaults { get; } = new();

    /// <summary>The tasks, in the order they were added.</summary>
    public IReadOnlyList<DagTask> Tasks => _tasks;

    /// <summary>Adds <paramref name="task"/> to this DAG and returns it, so it can be kept in a variable.</summary>
    /// <exception cref="InvalidOperationException">The id is already used in this DAG, or the task belongs to another DAG.</exception>
    public T Add<T>(T task, [CallerFilePath] string sourceFile = "", [CallerLineNumber] int sourceLine = 0)
        where T : DagTask
    {
        ArgumentNullException.ThrowIfNull(task);
        if (ReferenceEquals(task.Dag, this))
        {
            return task;
        }

        if (task.Dag is { } other)
        {
            throw new InvalidOperationException(
                $"Task '{task.TaskId}' already belongs to DAG '{other.DagId}' and cannot also be added to DAG '{DagId}'.");
        }

        if (_tasksById.TryGetValue(task.TaskId, out var existing))
        {
            throw new InvalidOperationException(
                $"DAG '{DagId}' already has a task with id '{task.TaskId}' (added at {existing.Source}).");
        }

        task.AttachTo(this, new SourceLocation(sourceFile, sourceLine));
        _tasks.Add(task);
        _tasksById.Add(task.TaskId, task);
        return task;
    }

    /// <summary>Finds a task by id, or returns <see langword="null"/>.</summary>
    public DagTask? FindTask(string taskId) => _tasksById.GetValueOrDefault(taskId);

    /// <inheritdoc />
    public override string ToString() => $"Dag {DagId}";
}
