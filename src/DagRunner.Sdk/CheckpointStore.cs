namespace DagRunner.Sdk;

/// <summary>
/// Keeps the handles that task attempts record through their <see cref="TaskCheckpoint"/>, as JSON by
/// attempt key and kind: a runner's run store, or memory (<see cref="InMemory"/>). A host gives each
/// attempt its checkpoint with <see cref="For"/>.
/// </summary>
public abstract class CheckpointStore
{
    /// <summary>Keeps <paramref name="json"/> as the handle of <paramref name="kind"/> of attempt
    /// <paramref name="attemptKey"/>, replacing the one kept before.</summary>
    /// <param name="attemptKey">The attempt, as <see cref="TaskContext.AttemptKeyOf"/> names it.</param>
    /// <param name="kind">What the handle is a handle of, e.g. <c>livy_batch</c>.</param>
    /// <param name="json">The handle as JSON.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public abstract Task SaveAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken);

    /// <summary>The JSON kept as the handle of <paramref name="kind"/> of attempt <paramref name="attemptKey"/>; null when there is none.</summary>
    /// <param name="attemptKey">The attempt, as <see cref="TaskContext.AttemptKeyOf"/> names it.</param>
    /// <param name="kind">What the handle is a handle of, e.g. <c>livy_batch</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public abstract Task<string?> LoadAsync(string attemptKey, string kind, CancellationToken cancellationToken);

    /// <summary>The checkpoint of attempt <paramref name="tryNumber"/> of task <paramref name="taskId"/> in run
    /// <paramref name="runId"/> of DAG <paramref name="dagId"/>, kept in this store.</summary>
    public TaskCheckpoint For(string dagId, string runId, string taskId, int tryNumber)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(taskId);
        return new TaskCheckpoint(this, dagId, runId, taskId, tryNumber);
    }

    /// <summary>A store in this process's memory: handles live as long as the store (a test, a preview).</summary>
    public static CheckpointStore InMemory() => new MemoryCheckpointStore();
}
