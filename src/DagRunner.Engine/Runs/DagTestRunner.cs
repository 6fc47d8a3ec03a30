using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Runs;

/// <summary>
/// Runs a whole DAG once, now, without the scheduler: what <c>dagrunner dags test</c> does. The run is
/// a test run in the run store (the scheduler leaves it to this process), executed by the engine's
/// executor (parallel tasks, retries, timeouts, pools). Testing the same logical date again clears
/// that run: attempts continue their numbering, so a new attempt never takes an old one's batch.
/// The run is claimed before it is cleared, so a second test of the same date at once is refused
/// (<see cref="RunClaimedException"/>) instead of running every task twice; a test run left running by
/// a runner that was killed is continued to its end (its remote jobs followed, never submitted again).
/// </summary>
public sealed class DagTestRunner(IRunStore store, DagRunExecutor executor, TimeProvider time)
{
    /// <summary>Runs every task of <paramref name="dag"/> and returns how each ended.</summary>
    /// <exception cref="RunClaimedException">Another runner is running this run now.</exception>
    public async Task<DagTestResult> RunAsync(DagDefinition dag, DagTestRequest request, DagRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(request);
        var fresh = request.Run(dag.DagId, time.GetUtcNow());
        string? continuedFrom = null;
        if (await store.FindRunAsync(dag.DagId, request.RunId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            var claim = await executor.ClaimAsync(existing, cancellationToken).ConfigureAwait(false);
            if (!claim.Held)
                throw new RunClaimedException(existing, claim.Holder, claim.HeartbeatAt);
            if (existing.State == DagRunState.Running && claim.TakenFrom is not null)
            {
                continuedFrom = claim.TakenFrom;
            }
            else
            {
                try
                {
                    await store.ClearRunAsync(dag.DagId, request.RunId, fresh.Conf, fresh.QueuedAt, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await executor.ReleaseAsync(existing, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }
        }

        var run = await store.CreateRunAsync(fresh, [.. dag.Tasks.Select(t => t.TaskId)], cancellationToken).ConfigureAwait(false);
        await executor.RunAsync(dag, run, observer, cancellationToken).ConfigureAwait(false);
        var tasks = (await store.TaskInstancesAsync(dag.DagId, run.RunId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        return new DagTestResult(dag.DagId, run.RunId, [.. dag.Tasks.Select(t => Outcome(tasks[t.TaskId]))]) { ContinuedFrom = continuedFrom };
    }

    private static TaskOutcome Outcome(TaskInstance task) => new(
        task.TaskId,
        task.State,
        task is { StartedAt: { } started, EndedAt: { } ended } && task.TryNumber > 0 ? ended - started : TimeSpan.Zero,
        task.TryNumber,
        task.Error,
        task.LogFile);
}
