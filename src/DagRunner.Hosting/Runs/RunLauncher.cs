using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// Starts runs for a front end: a test run of a whole DAG or of one task (run here, now), a manual run
/// queued for the scheduler, and a backfill of a date range (run here, created by the same code as the
/// scheduler's runs). The front end finds the DAG in the catalog, starts the embedded LocalLivy when
/// needed, and shows what the observer and the returned records say.
/// </summary>
public sealed partial class RunLauncher(IRunStore store, DagRunExecutor executor, DagTestRunner testRunner, TimeProvider time)
{
    /// <summary>Runs every task of <paramref name="dag"/> now, as a test run; see <see cref="DagTestRunner"/>.</summary>
    /// <exception cref="RunClaimedException">Another runner is running this run now.</exception>
    public Task<DagTestResult> TestAsync(DagDefinition dag, DagTestRequest request, DagRunObserver observer, CancellationToken cancellationToken) =>
        testRunner.RunAsync(dag, request, observer, cancellationToken);

    /// <summary>What testing one task runs: the task alone, as if it had no upstream, in its own run
    /// (<c>test__&lt;date&gt;</c>), so real runs are left alone.</summary>
    public static TaskTest PlanTaskTest(DagDefinition dag, TaskDefinition task, DagTestRequest request)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        return new TaskTest(dag with { Tasks = [task with { Upstream = [], Downstream = [] }] }, task.TaskId, request with { RunIdPrefix = "test" });
    }

    /// <summary>Runs the task of <paramref name="test"/> now and returns how it ended.</summary>
    /// <exception cref="RunClaimedException">Another runner is running this run now.</exception>
    public async Task<TaskOutcome> TestTaskAsync(TaskTest test, DagRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        var result = await testRunner.RunAsync(test.Dag, test.Request, observer, cancellationToken).ConfigureAwait(false);
        return result.Tasks.Single();
    }

    /// <summary>Queues a manual run of <paramref name="dag"/> for the scheduler, unless the run, or
    /// another run of its logical date, exists.</summary>
    public async Task<TriggerResult> TriggerAsync(DagDefinition dag, DagTestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(request);
        if (await store.FindRunAsync(dag.DagId, request.RunId, cancellationToken).ConfigureAwait(false) is { } existing)
            return new TriggerResult(TriggerOutcome.RunExists, existing);
        var run = await store.CreateRunAsync(request.Run(dag.DagId, time.GetUtcNow(), RunType.Manual), [.. dag.Tasks.Select(t => t.TaskId)], cancellationToken).ConfigureAwait(false);
        // One run per logical date: a scheduled or backfill run already has it.
        return new TriggerResult(run.RunId == request.RunId ? TriggerOutcome.Queued : TriggerOutcome.DateTaken, run);
    }
}
