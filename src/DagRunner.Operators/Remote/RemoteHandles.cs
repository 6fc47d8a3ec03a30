using System.Collections.Concurrent;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;

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
    private readonly ConcurrentDictionary<string, LivySessionHandle> _sessions = new(StringComparer.Ordinal);

    /// <summary>Records what a batch task has learned, before it waits on the batch.</summary>
    public virtual Task SaveAsync(string attemptKey, LivyBatchHandle handle, CancellationToken cancellationToken)
    {
        _batches[attemptKey] = handle;
        return Task.CompletedTask;
    }

    /// <summary>The handle recorded for the attempt, if any.</summary>
    public virtual Task<LivyBatchHandle?> LoadAsync(string attemptKey, CancellationToken cancellationToken) =>
        Task.FromResult(_batches.GetValueOrDefault(attemptKey));

    /// <summary>Records where a session task stands, before it waits on the session.</summary>
    public virtual Task SaveSessionAsync(string attemptKey, LivySessionHandle handle, CancellationToken cancellationToken)
    {
        _sessions[attemptKey] = handle;
        return Task.CompletedTask;
    }

    /// <summary>The session handle recorded for the attempt, if any.</summary>
    public virtual Task<LivySessionHandle?> LoadSessionAsync(string attemptKey, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.GetValueOrDefault(attemptKey));
}
