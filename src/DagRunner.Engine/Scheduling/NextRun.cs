using DagRunner.Engine.Definitions;

namespace DagRunner.Engine.Scheduling;

/// <summary>When a DAG's schedule next fires, for display: the first tick after now, inside the DAG's start and end dates.</summary>
public static class NextRun
{
    /// <summary>The next fire time, or <see langword="null"/> for manual-only DAGs and finished schedules.</summary>
    public static DateTimeOffset? For(DagDefinition dag, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (dag.Schedule is null || !ScheduleExpression.TryParse(dag.Schedule, out var schedule, out _))
        {
            return null;
        }

        if (schedule!.IsOnce)
        {
            return dag.StartDate is { } once && once > now ? once : null;
        }

        var from = dag.StartDate is { } start && start > now ? start.AddTicks(-1) : now;
        var next = schedule.NextAfter(from, TimeZones.Find(dag.TimeZone));
        return next is { } value && (dag.EndDate is null || value <= dag.EndDate) ? value : null;
    }
}
