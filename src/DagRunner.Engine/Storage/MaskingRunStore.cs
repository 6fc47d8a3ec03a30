using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Sdk;

namespace DagRunner.Engine.Storage;

/// <summary>
/// A run store that masks every known secret in what it writes: errors, event messages, outputs,
/// rendered fields and remote handles (a session's statement outputs hold what the job printed).
/// Whatever reaches the store by whichever path, the file never holds a registered secret. A run's conf
/// is kept as given: a queued run needs it to run (<c>dags state</c> shows it masked).
/// </summary>
public sealed partial class MaskingRunStore(IRunStore inner, SecretMasker secrets) : IRunStore
{
    /// <summary>The store this one writes to.</summary>
    public IRunStore Inner => inner;

    public Task<DagRun> CreateRunAsync(DagRun run, IReadOnlyList<string> taskIds, CancellationToken cancellationToken) =>
        inner.CreateRunAsync(run, taskIds, cancellationToken);

    public Task<RunClaim> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, DateTimeOffset staleBefore, string? goneHolder, CancellationToken cancellationToken) =>
        inner.ClaimRunAsync(dagId, runId, owner, now, staleBefore, goneHolder, cancellationToken);

    public Task<bool> RenewClaimAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RenewClaimAsync(dagId, runId, owner, now, cancellationToken);

    public Task ReleaseClaimAsync(string dagId, string runId, string owner, CancellationToken cancellationToken) =>
        inner.ReleaseClaimAsync(dagId, runId, owner, cancellationToken);

    public Task DeleteRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        inner.DeleteRunAsync(dagId, runId, cancellationToken);

    public Task ClearRunAsync(string dagId, string runId, string conf, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.ClearRunAsync(dagId, runId, conf, at, cancellationToken);

    public Task AddTaskInstancesAsync(string dagId, string runId, IReadOnlyList<string> taskIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.AddTaskInstancesAsync(dagId, runId, taskIds, at, cancellationToken);

    public Task<DagRun?> FindRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        inner.FindRunAsync(dagId, runId, cancellationToken);

    public Task<IReadOnlyList<DagRun>> ListRunsAsync(string dagId, IReadOnlyCollection<DagRunState>? states, CancellationToken cancellationToken) =>
        inner.ListRunsAsync(dagId, states, cancellationToken);

    public Task<IReadOnlyList<DagRun>> LatestRunsAsync(string dagId, int limit, CancellationToken cancellationToken) =>
        inner.LatestRunsAsync(dagId, limit, cancellationToken);

    public Task<IReadOnlyList<DagRun>> LatestRunsOfEveryDagAsync(int perDag, CancellationToken cancellationToken) =>
        inner.LatestRunsOfEveryDagAsync(perDag, cancellationToken);

    public Task<IReadOnlyList<TaskInstance>> TaskInstancesOfRunsAsync(string dagId, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken) =>
        inner.TaskInstancesOfRunsAsync(dagId, runIds, cancellationToken);

    public Task<IReadOnlyList<DagRun>> ListRunsInStateAsync(IReadOnlyCollection<DagRunState> states, CancellationToken cancellationToken) =>
        inner.ListRunsInStateAsync(states, cancellationToken);

    public Task UpdateRunAsync(DagRun run, RunEvent change, CancellationToken cancellationToken) =>
        inner.UpdateRunAsync(run, Masked(change), cancellationToken);

    public Task<IReadOnlyList<TaskInstance>> TaskInstancesAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        inner.TaskInstancesAsync(dagId, runId, cancellationToken);

    public Task UpdateTaskAsync(TaskInstance task, RunEvent change, CancellationToken cancellationToken) =>
        inner.UpdateTaskAsync(Masked(task), Masked(change), cancellationToken);

    public Task UpdateTasksAsync(IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, CancellationToken cancellationToken) =>
        inner.UpdateTasksAsync([.. changes.Select(c => (Masked(c.Task), Masked(c.Change)))], cancellationToken);

    public Task RecordAttemptsAsync(IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken) =>
        inner.RecordAttemptsAsync([.. attempts.Select(Masked)], cancellationToken);

    public Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        inner.AttemptsAsync(dagId, runId, cancellationToken);

    public Task<IReadOnlyList<RunEvent>> EventsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        inner.EventsAsync(dagId, runId, cancellationToken);

    public Task SaveHandleAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken) =>
        inner.SaveHandleAsync(attemptKey, kind, secrets.MaskJson(json), cancellationToken);

    public Task<string?> LoadHandleAsync(string attemptKey, string kind, CancellationToken cancellationToken) =>
        inner.LoadHandleAsync(attemptKey, kind, cancellationToken);

    public Task<bool> HasHandleAsync(string attemptKey, CancellationToken cancellationToken) =>
        inner.HasHandleAsync(attemptKey, cancellationToken);

    public Task ReplaceImportErrorsAsync(IReadOnlyList<ImportError> errors, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.ReplaceImportErrorsAsync([.. errors.Select(e => e with { Message = secrets.Mask(e.Message) })], at, cancellationToken);

    public Task<IReadOnlyList<ImportError>> ImportErrorsAsync(CancellationToken cancellationToken) =>
        inner.ImportErrorsAsync(cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);

    public Task SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken) =>
        inner.SetPausedAsync(dagId, paused, cancellationToken);

    public Task<IReadOnlySet<string>> PausedAsync(CancellationToken cancellationToken) =>
        inner.PausedAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private RunEvent Masked(RunEvent change) => change with { Message = secrets.Mask(change.Message) };

    private TaskInstance Masked(TaskInstance task) => task with { Error = secrets.Mask(task.Error), Output = secrets.MaskJson(task.Output) };

    private TaskAttempt Masked(TaskAttempt attempt) => attempt with { Error = secrets.Mask(attempt.Error), RenderedFields = secrets.MaskJson(attempt.RenderedFields) };
}
