using DagRunner.Engine.Definitions;

namespace DagRunner.Engine.Scheduling;

/// <summary>
/// Which data intervals of a DAG's schedule are due, pure: the intervals after the last one scheduled
/// whose end has passed, inside the start and end dates; with catchup off, only the latest of them.
/// Cron ticks are read in the DAG's time zone, so a daily 06:00 stays 06:00 local across DST.
/// </summary>
public static class ScheduleIntervals
{
    // A guard against a schedule that would be walked tick by tick for years (a minutely cron since 2020).
    private const int MaxTicks = 1_000_000;

    /// <summary>The due intervals in order, given the end of the last scheduled interval (null: none yet).</summary>
    public static IEnumerable<DataInterval> Due(DagDefinition dag, DateTimeOffset? lastEnd, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (dag.Schedule is null || !ScheduleExpression.TryParse(dag.Schedule, out var schedule, out _))
            yield break;
        if (schedule!.IsOnce)
        {
            if (lastEnd is null && (dag.StartDate ?? now) is var once && once <= now)
                yield return new DataInterval(once, once);
            yield break;
        }

        var zone = TimeZones.Find(dag.TimeZone);
        DateTimeOffset? Next(DateTimeOffset after) => schedule.NextAfter(after, zone);
        var first = lastEnd ?? Next((dag.StartDate ?? now.AddDays(-400)).AddTicks(-1));
        if (first is not { } start)
            yield break;

        if (!dag.Catchup)
        {
            // Only the most recent complete interval, if it has not been scheduled yet.
            DataInterval? latest = null;
            for (var ticks = 0; ticks < MaxTicks && Next(start) is { } end && end <= now; ticks++)
            {
                latest = new DataInterval(start, end);
                start = end;
            }

            if (latest is { } interval && Inside(dag, interval))
                yield return interval;
            yield break;
        }

        for (var ticks = 0; ticks < MaxTicks && Next(start) is { } end && end <= now; ticks++)
        {
            var interval = new DataInterval(start, end);
            if (!Inside(dag, interval))
                yield break;
            yield return interval;
            start = end;
        }
    }

    /// <summary>The intervals whose start lies in [<paramref name="from"/>, <paramref name="to"/>]: what a backfill runs.</summary>
    public static IEnumerable<DataInterval> Between(DagDefinition dag, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (dag.Schedule is null || !ScheduleExpression.TryParse(dag.Schedule, out var schedule, out _) || schedule!.IsOnce)
        {
            yield return new DataInterval(from, from);
            yield break;
        }

        var zone = TimeZones.Find(dag.TimeZone);
        var start = schedule.NextAfter(from.AddTicks(-1), zone);
        for (var ticks = 0; ticks < MaxTicks && start is { } s && s <= to; ticks++)
        {
            var end = schedule.NextAfter(s, zone)!.Value;
            yield return new DataInterval(s, end);
            start = end;
        }
    }

    private static bool Inside(DagDefinition dag, DataInterval interval) =>
        (dag.StartDate is null || interval.Start >= dag.StartDate) && (dag.EndDate is null || interval.Start <= dag.EndDate);
}
