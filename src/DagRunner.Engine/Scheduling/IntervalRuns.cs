using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Scheduling;

/// <summary>
/// The run of one data interval of a DAG's schedule, as the scheduler (scheduled runs) and a backfill
/// (backfill runs) create it: one piece of code, so both give the same run id, logical date, data
/// interval and task instances for the same interval.
/// </summary>
public static class IntervalRuns
{
    /// <summary>The run record of <paramref name="interval"/>: its logical date is the interval's start,
    /// its id <c>&lt;type&gt;__&lt;logical date&gt;</c>.</summary>
    public static DagRun For(DagDefinition dag, DataInterval interval, RunType type, DateTimeOffset queuedAt)
    {
        ArgumentNullException.ThrowIfNull(dag);
        return new DagRun
        {
            DagId = dag.DagId,
            RunId = DagRun.IdFor(type, interval.Start),
            RunType = type,
            LogicalDate = interval.Start,
            DataIntervalStart = interval.Start,
            DataIntervalEnd = interval.End,
            QueuedAt = queuedAt,
        };
    }

    /// <summary>Creates the run of <paramref name="interval"/> with an instance of every task. The store
    /// keeps one run per logical date: when the date already has one (of any other type but a test), that
    /// run is returned instead; compare its <see cref="DagRun.RunId"/> to tell.</summary>
    public static Task<DagRun> CreateAsync(IRunStore store, DagDefinition dag, DataInterval interval, RunType type, DateTimeOffset queuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dag);
        return store.CreateRunAsync(For(dag, interval, type, queuedAt), [.. dag.Tasks.Select(t => t.TaskId)], cancellationToken);
    }
}
