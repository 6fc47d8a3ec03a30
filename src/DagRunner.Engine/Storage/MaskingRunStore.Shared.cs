using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Storage;

// The shared task queue of a server store, masked like everything else written: outcomes carry errors and outputs.
public sealed partial class MaskingRunStore : ISharedTasks
{
    /// <summary>The store's shared tasks, masked, when the store below shares its tasks among processes
    /// (PostgreSQL); null for a store of one process (SQLite).</summary>
    public ISharedTasks? SharedTasks => inner is ISharedTasks ? this : null;

    private ISharedTasks Shared => inner as ISharedTasks ?? throw new NotSupportedException("This run store is for one process: it shares no tasks.");

    Task<IReadOnlySet<string>> ISharedTasks.BeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        Shared.BeatAsync(owner, now, cancellationToken);

    Task<TaskClaims> ISharedTasks.ClaimTasksAsync(TaskClaimRequest request, CancellationToken cancellationToken) =>
        Shared.ClaimTasksAsync(request with
        {
            Outcomes = [.. request.Outcomes.Select(c => (Masked(c.Task), Masked(c.Change)))],
            Attempts = [.. request.Attempts.Select(Masked)],
        }, cancellationToken);

    Task<IReadOnlyList<TaskInstance>> ISharedTasks.FinishTasksAsync(string owner, IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken) =>
        Shared.FinishTasksAsync(owner, [.. changes.Select(c => (Masked(c.Task), Masked(c.Change)))], [.. attempts.Select(Masked)], cancellationToken);

    Task<IReadOnlyList<TaskInstance>> ISharedTasks.OutputsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        Shared.OutputsAsync(dagId, runId, cancellationToken);

    Task<IReadOnlyList<TaskHold>> ISharedTasks.HoldsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        Shared.HoldsAsync(dagId, runId, cancellationToken);

    Task<bool> ISharedTasks.ReleaseTaskAsync(TaskInstance task, string holder, RunEvent note, CancellationToken cancellationToken) =>
        Shared.ReleaseTaskAsync(task, holder, Masked(note), cancellationToken);

    Task<int> ISharedTasks.ReleaseAllAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        Shared.ReleaseAllAsync(owner, now, cancellationToken);

    Task<bool> ISharedTasks.TryStartRunAsync(DagRun run, int maxActiveRuns, DateTimeOffset now, CancellationToken cancellationToken) =>
        Shared.TryStartRunAsync(run, maxActiveRuns, now, cancellationToken);
}
