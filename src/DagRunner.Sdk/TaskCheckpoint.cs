using System.Text.Json;

namespace DagRunner.Sdk;

/// <summary>
/// Where an attempt records the handle of its remote work (a batch's id and app, a session and the
/// statements it has run) before it waits on that work, so a runner started again follows the same
/// work instead of submitting it twice, and a retry finds what the previous try left. A handle is kept
/// as JSON per attempt and kind (e.g. <c>livy_batch</c>): in the run store when a runner runs the task,
/// in memory otherwise. Operators get theirs as <see cref="TaskContext.Checkpoint"/>.
/// </summary>
public sealed class TaskCheckpoint
{
    private readonly CheckpointStore _store;
    private readonly string? _previousAttemptKey;

    internal TaskCheckpoint(CheckpointStore store, string dagId, string runId, string taskId, int tryNumber)
    {
        _store = store;
        AttemptKey = TaskContext.AttemptKeyOf(dagId, runId, taskId, tryNumber);
        _previousAttemptKey = tryNumber > 1 ? TaskContext.AttemptKeyOf(dagId, runId, taskId, tryNumber - 1) : null;
    }

    /// <summary>The attempt whose handles this checkpoint keeps, as <see cref="TaskContext.AttemptKey"/> names it.</summary>
    public string AttemptKey { get; }

    /// <summary>Records <paramref name="handle"/> as this attempt's handle of <paramref name="kind"/>, replacing
    /// the one recorded before; it is written as JSON before this returns.</summary>
    /// <param name="kind">What the handle is a handle of, e.g. <c>livy_batch</c>; one handle per kind and attempt.</param>
    /// <param name="handle">The handle: a type <see cref="JsonSerializer"/> writes and reads back (a record, say).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync<T>(string kind, T handle, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(handle);
        return _store.SaveAsync(AttemptKey, kind, JsonSerializer.Serialize(handle, OptionsFor(typeof(T))), cancellationToken);
    }

    /// <summary>The handle of <paramref name="kind"/> this attempt recorded (by an earlier runner of the same
    /// attempt, when the runner was restarted); null when there is none.</summary>
    /// <param name="kind">What the handle is a handle of, e.g. <c>livy_batch</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<T?> LoadAsync<T>(string kind, CancellationToken cancellationToken)
        where T : class =>
        LoadAsync<T>(AttemptKey, kind, cancellationToken);

    /// <summary>The handle of <paramref name="kind"/> the previous try of this task recorded in the same run;
    /// null on the first try or when that try recorded none.</summary>
    /// <param name="kind">What the handle is a handle of, e.g. <c>livy_batch</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<T?> LoadPreviousAsync<T>(string kind, CancellationToken cancellationToken)
        where T : class =>
        _previousAttemptKey is null ? Task.FromResult<T?>(null) : LoadAsync<T>(_previousAttemptKey, kind, cancellationToken);

    private async Task<T?> LoadAsync<T>(string attemptKey, string kind, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        return await _store.LoadAsync(attemptKey, kind, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<T>(json, OptionsFor(typeof(T)))
            : null;
    }

    // The default options cache what they learn about a type for the process's lifetime: a handle type
    // that a DAG file defines would keep the file's collectible load context alive. Such a type gets
    // options of its own (same settings, so the same JSON).
    private static JsonSerializerOptions OptionsFor(Type type) =>
        type.Assembly.IsCollectible ? new JsonSerializerOptions() : JsonSerializerOptions.Default;
}
