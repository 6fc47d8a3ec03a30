using System.Collections.Concurrent;

namespace DagRunner.Sdk;

/// <summary>Handles kept in memory, for contexts built without a run store (tests, previews).</summary>
internal sealed class MemoryCheckpointStore : CheckpointStore
{
    private readonly ConcurrentDictionary<(string AttemptKey, string Kind), string> _handles = new();

    public override Task SaveAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken)
    {
        _handles[(attemptKey, kind)] = json;
        return Task.CompletedTask;
    }

    public override Task<string?> LoadAsync(string attemptKey, string kind, CancellationToken cancellationToken) =>
        Task.FromResult(_handles.GetValueOrDefault((attemptKey, kind)));
}
