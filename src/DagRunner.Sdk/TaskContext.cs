using System.Globalization;

namespace DagRunner.Sdk;

/// <summary>
/// What a running task knows about its attempt: identity, dates, parameters, upstream outputs
/// and where to write its log. Given to <see cref="DagTask.ExecuteAsync"/> and to the delegate
/// of a <c>CSharpOperator</c>.
/// </summary>
public sealed class TaskContext
{
    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>The DAG's id.</summary>
    public required string DagId { get; init; }

    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The run's id, e.g. <c>manual__2026-11-20T00:00:00+00:00</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's logical date.</summary>
    public required DateTimeOffset LogicalDate { get; init; }

    /// <summary>The start of the data interval the run covers. Default: the logical date.</summary>
    public DateTimeOffset DataIntervalStart
    {
        get => _dataIntervalStart ?? LogicalDate;
        init => _dataIntervalStart = value;
    }

    /// <summary>The end of the data interval the run covers. Default: the logical date.</summary>
    public DateTimeOffset DataIntervalEnd
    {
        get => _dataIntervalEnd ?? LogicalDate;
        init => _dataIntervalEnd = value;
    }

    /// <summary>The attempt number, 1 for the first try.</summary>
    public int TryNumber { get; init; } = 1;

    /// <summary>The parameters: the DAG's, overlaid by the task's, overlaid by the run's conf.</summary>
    public IReadOnlyDictionary<string, object?> Params { get; init; } = Empty;

    /// <summary>The JSON object the run was triggered with, as a dictionary.</summary>
    public IReadOnlyDictionary<string, object?> Conf { get; init; } = Empty;

    /// <summary>The outputs of the upstream tasks that produced one, by task id.</summary>
    public IReadOnlyDictionary<string, object?> Outputs { get; init; } = Empty;

    /// <summary>The task log. Lines written here are streamed to the terminal and kept with the attempt.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Services the host offers to operators, such as the clients of remote systems built
    /// from the configured connections; null when the host offers none.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Where this attempt records the handle of its remote work before it waits on it, and finds the
    /// previous try's, so a restarted runner or a retry follows that work instead of submitting it again. A
    /// runner keeps it in its run store. Default: memory of this context alone.</summary>
    public TaskCheckpoint Checkpoint
    {
        get => _checkpoint ?? LazyInitializer.EnsureInitialized(ref _checkpoint, () => CheckpointStore.InMemory().For(DagId, RunId, TaskId, TryNumber));
        init => _checkpoint = value;
    }

    /// <summary>The secret values the runner hides in everything it writes and shows (the task log, errors,
    /// the terminal, the run store). The secret parameters and conf entries are registered already; an
    /// operator adds what it learns (a token it fetched) with <see cref="SecretMasker.Add"/>. Default: a masker
    /// of this context alone.</summary>
    public SecretMasker Secrets { get; init; } = new();

    /// <summary>Receives the attempt's rendered fields as JSON (secrets masked), for the run store to keep
    /// with the attempt. Operators that render templates call it once; null when nobody listens.</summary>
    public Action<string>? OnRendered { get; init; }

    /// <summary>Cancelled when the attempt times out or is cancelled: stop, and stop the remote work too.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Cancelled when the runner stops gracefully (a first Ctrl+C): stop waiting and leave remote work
    /// running, its handle recorded, so a restarted runner follows it. The token given to
    /// <see cref="DagTask.ExecuteAsync"/> is cancelled in both cases; this one tells them apart.
    /// </summary>
    public CancellationToken DetachToken { get; init; }

    /// <summary>Names this attempt (DAG, run, task, try) for what is recorded about it, such as the handle of
    /// its remote job, so a restarted runner can find it again.</summary>
    public string AttemptKey => AttemptKeyOf(DagId, RunId, TaskId, TryNumber);

    /// <summary>The <see cref="AttemptKey"/> of an attempt, for a runner that finds it in its store.</summary>
    public static string AttemptKeyOf(string dagId, string runId, string taskId, int tryNumber) =>
        string.Join('|', dagId, runId, taskId, tryNumber.ToString(CultureInfo.InvariantCulture));

    /// <summary>The logical date as <c>2026-11-20</c>.</summary>
    public string Ds => LogicalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The logical date as <c>20261120</c>.</summary>
    public string DsNodash => LogicalDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private readonly DateTimeOffset? _dataIntervalStart;
    private readonly DateTimeOffset? _dataIntervalEnd;
    private TaskCheckpoint? _checkpoint;

    /// <summary>The output of upstream task <paramref name="taskId"/>, converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">The task is not upstream or produced no output.</exception>
    public T Output<T>(string taskId) =>
        Outputs.TryGetValue(taskId, out var value)
            ? value is T typed ? typed : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!
            : throw new KeyNotFoundException($"Task '{TaskId}' has no output from upstream task '{taskId}'.");
}
