using System.Text.Json;
using DagRunner.Engine.Storage;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Operators.Remote;

namespace DagRunner.Hosting.Storage;

/// <summary>Remote handles kept in the run store, so a runner started again after being killed
/// follows the batch an attempt had submitted instead of submitting another.</summary>
internal sealed class StoredRemoteHandles(IRunStore store) : RemoteHandles
{
    private const string BatchKind = "livy_batch";
    private const string SessionKind = "livy_session";

    public override Task SaveAsync(string attemptKey, LivyBatchHandle handle, CancellationToken cancellationToken) =>
        store.SaveHandleAsync(attemptKey, BatchKind, JsonSerializer.Serialize(handle), cancellationToken);

    public override async Task<LivyBatchHandle?> LoadAsync(string attemptKey, CancellationToken cancellationToken) =>
        await store.LoadHandleAsync(attemptKey, BatchKind, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<LivyBatchHandle>(json)
            : null;

    public override Task SaveSessionAsync(string attemptKey, LivySessionHandle handle, CancellationToken cancellationToken) =>
        store.SaveHandleAsync(attemptKey, SessionKind, JsonSerializer.Serialize(handle), cancellationToken);

    public override async Task<LivySessionHandle?> LoadSessionAsync(string attemptKey, CancellationToken cancellationToken) =>
        await store.LoadHandleAsync(attemptKey, SessionKind, cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize<LivySessionHandle>(json)
            : null;
}
