using DagRunner.Sdk;

namespace DagRunner.Engine.Storage;

/// <summary>The handles task attempts record through their checkpoint, kept in the run store (table
/// <c>remote_handle</c>), so a runner started again after being killed follows the work an attempt had
/// submitted instead of submitting it again.</summary>
public sealed class StoredCheckpoints(IRunStore store) : CheckpointStore
{
    /// <inheritdoc />
    public override Task SaveAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken) =>
        store.SaveHandleAsync(attemptKey, kind, json, cancellationToken);

    /// <inheritdoc />
    public override Task<string?> LoadAsync(string attemptKey, string kind, CancellationToken cancellationToken) =>
        store.LoadHandleAsync(attemptKey, kind, cancellationToken);
}
