using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;

namespace DagRunner.Hosting.Runs;

public sealed partial class RunLauncher
{
    // How often a run another process holds is looked at again: about a heartbeat.
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    /// <summary>The intervals of <paramref name="dag"/>'s schedule that start between <paramref name="from"/>
    /// and <paramref name="to"/>: what a backfill of that range runs.</summary>
    public static IReadOnlyList<DataInterval> BackfillIntervals(DagDefinition dag, DateTimeOffset from, DateTimeOffset to) =>
        [.. ScheduleIntervals.Between(dag, from, to)];

    /// <summary>
    /// Runs the backfill run of each interval here, at most <c>MaxActiveRuns</c> at a time, and returns
    /// each interval's run as it ended. The runs are created as the scheduler creates its own
    /// (<see cref="IntervalRuns"/>); a date that already has a run (scheduled or manual) runs that one.
    /// A range backfilled again continues what did not finish and leaves finished runs alone.
    /// <paramref name="waiting"/> hears, once per run, that another process runs it now: it is then
    /// waited for, not run twice.
    /// </summary>
    public async Task<IReadOnlyList<DagRun>> BackfillAsync(
        DagDefinition dag, IReadOnlyList<DataInterval> intervals, DagRunObserver observer, Func<RunClaimedException, Task>? waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(intervals);
        using var slots = new SemaphoreSlim(Math.Max(1, dag.MaxActiveRuns));
        return await Task.WhenAll(intervals.Select(async interval =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var run = await IntervalRuns.CreateAsync(store, dag, interval, RunType.Backfill, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return run.State is DagRunState.Success or DagRunState.Failed ? run : await RunOnceAsync(dag, run, observer, waiting, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
    }

    // The date's run (the store keeps one per logical date: it may be a scheduled or manual run) is run
    // here unless another process runs it now (a second backfill, the scheduler); then this one waits for
    // it and reports what the store shows, taking the run over if that process dies.
    private async Task<DagRun> RunOnceAsync(DagDefinition dag, DagRun run, DagRunObserver observer, Func<RunClaimedException, Task>? waiting, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            try
            {
                return await executor.RunAsync(dag, run, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (RunClaimedException taken)
            {
                if (!told && waiting is not null)
                    await waiting(taken).ConfigureAwait(false);
                told = true;
                await Task.Delay(WaitStep, time, cancellationToken).ConfigureAwait(false);
                run = await store.FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false) ?? run;
                if (run.State is DagRunState.Success or DagRunState.Failed)
                    return run;
            }
        }
    }
}
