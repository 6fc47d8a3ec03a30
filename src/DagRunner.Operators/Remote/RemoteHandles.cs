using System.Collections.Concurrent;
using DagRunner.Operators.Livy.Batch;

namespace DagRunner.Operators.Remote;

/// <summary>
/// Where a task attempt's remote handle is kept, so that a runner that restarts follows the same
/// remote job instead of submitting a new one. The key names the attempt (DAG, run, task, try).
/// This in-memory store serves one process (<c>dags test</c>); the engine's run store keeps handles
/// in SQLite, behind the same methods.
/// </summary>
public class RemoteHandles
{
    private readonly ConcurrentDictionary<string, LivyBatchHandle> _batches = new(StringComparer.Ordinal);

    /// <summary>Records what a batch task has learned, before it waits on the batch.</summary>
    public virtual Task SaveAsync(string attemptKey, LivyBatchHandle handle, CancellationToken cancellationToken)
    {
        _batches[attemptKey] = handle;
        return Task.CompletedTask;
    }

    /// <summary>The handle recorded for the attempt, if any.</summary>
    public virtual Task<LivyBatchHandle?> LoadAsync(string attemptKey, CancellationToken cancellationToken) =>
        Task.FromResult(_batches.GetValueOrDefault(attemptKey));
}
