using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// The changes a person makes to runs, for every front end (the CLI's <c>tasks clear</c>, <c>tasks mark</c>,
/// <c>dags mark</c>; the web UI's buttons): clear task instances, mark a task instance or a run success or
/// failed. The rules are the engine's <see cref="RunEditor"/>'s, so no front end can bypass them: a run a live
/// runner holds is refused with a message naming it. The front end finds the DAG in the catalog and shows
/// the returned <see cref="RunEdit.Message"/>.
/// </summary>
public sealed class RunActions(IRunStore store, RunEditor editor)
{
    /// <summary>The run of <paramref name="logicalDate"/>, or the DAG's latest run when it is null; null when there is none.</summary>
    public async Task<DagRun?> FindRunAsync(string dagId, DateTimeOffset? logicalDate, CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(dagId, null, cancellationToken).ConfigureAwait(false);
        // A test run shares its date with the real run: the real one is meant when both exist.
        return logicalDate is { } day
            ? runs.Where(r => r.LogicalDate == day).OrderBy(r => r.RunType == RunType.Test).FirstOrDefault()
            : runs.Count > 0 ? runs[0] : null;
    }

    /// <summary>Clears task instances of a run to run them again, with their downstream tasks when asked.</summary>
    public Task<RunEdit> ClearAsync(DagDefinition dag, string runId, IReadOnlyList<string> taskIds, bool downstream, CancellationToken cancellationToken) =>
        editor.ClearTasksAsync(dag, runId, taskIds, downstream, cancellationToken);

    /// <summary>Marks a task instance success (<paramref name="success"/>) or failed.</summary>
    public Task<RunEdit> MarkTaskAsync(DagDefinition dag, string runId, string taskId, bool success, CancellationToken cancellationToken) =>
        editor.MarkTaskAsync(dag, runId, taskId, success ? TaskState.Success : TaskState.Failed, cancellationToken);

    /// <summary>Marks a run success (<paramref name="success"/>) or failed.</summary>
    public Task<RunEdit> MarkRunAsync(DagDefinition dag, string runId, bool success, CancellationToken cancellationToken) =>
        editor.MarkRunAsync(dag, runId, success ? DagRunState.Success : DagRunState.Failed, cancellationToken);
}
