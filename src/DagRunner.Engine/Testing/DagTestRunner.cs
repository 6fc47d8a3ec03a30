using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Testing;

/// <summary>
/// Runs a whole DAG once, now, without the scheduler: what <c>dagrunner dags test</c> does. The run is
/// a manual run in the run store, executed by the engine's executor (parallel tasks, retries,
/// timeouts, pools); testing the same logical date again starts that run afresh.
/// </summary>
public sealed class DagTestRunner(IRunStore store, DagRunExecutor executor, TimeProvider time)
{
    /// <summary>Runs every task of <paramref name="dag"/> and returns how each ended.</summary>
    public async Task<DagTestResult> RunAsync(DagDefinition dag, DagTestRequest request, DagRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(request);
        await store.DeleteRunAsync(dag.DagId, request.RunId, cancellationToken).ConfigureAwait(false);
        var run = await store.CreateRunAsync(request.Run(dag.DagId, time.GetUtcNow()), [.. dag.Tasks.Select(t => t.TaskId)], cancellationToken).ConfigureAwait(false);
        await executor.RunAsync(dag, run, observer, cancellationToken).ConfigureAwait(false);
        var tasks = (await store.TaskInstancesAsync(dag.DagId, run.RunId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        return new DagTestResult(dag.DagId, run.RunId, [.. dag.Tasks.Select(t => Outcome(tasks[t.TaskId]))]);
    }

    private static TaskOutcome Outcome(TaskInstance task) => new(
        task.TaskId,
        task.State,
        task is { StartedAt: { } started, EndedAt: { } ended } && task.TryNumber > 0 ? ended - started : TimeSpan.Zero,
        task.TryNumber,
        task.Error,
        task.LogFile);
}
