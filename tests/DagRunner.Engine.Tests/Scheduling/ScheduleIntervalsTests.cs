using DagRunner.Engine.Definitions;
using DagRunner.Engine.Scheduling;

namespace DagRunner.Engine.Tests.Scheduling;

public sealed class ScheduleIntervalsTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static DagDefinition Dag(string schedule, bool catchup = true, DateTimeOffset? start = null, DateTimeOffset? end = null) =>
        new() { DagId = "d", File = "d.csx", Schedule = schedule, Catchup = catchup, StartDate = start ?? Day, EndDate = end };

    [Fact]
    public void Due_RespectsTheEndDate()
    {
        var intervals = ScheduleIntervals.Due(Dag("@daily", end: Day.AddDays(2)), null, Day.AddDays(10)).ToList();

        Assert.Equal([Day, Day.AddDays(1), Day.AddDays(2)], intervals.Select(i => i.Start));
    }

    [Fact]
    public void Due_AfterTheLastScheduledInterval_OnlyTheNewOnes()
    {
        var intervals = ScheduleIntervals.Due(Dag("@hourly"), Day.AddHours(3), Day.AddHours(5).AddMinutes(1)).ToList();

        Assert.Equal([new DataInterval(Day.AddHours(3), Day.AddHours(4)), new DataInterval(Day.AddHours(4), Day.AddHours(5))], intervals);
    }

    [Fact]
    public void Due_IntervalNotYetOver_IsNotDue()
    {
        Assert.Empty(ScheduleIntervals.Due(Dag("@daily"), null, Day.AddHours(23)));
    }

    [Fact]
    public void Between_EveryIntervalStartingInTheRange()
    {
        var intervals = ScheduleIntervals.Between(Dag("0 6 * * 1-5"), new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero)).ToList();

        // Friday, then Monday and Tuesday: the weekend has no ticks.
        Assert.Equal([20, 23, 24], intervals.Select(i => i.Start.Day));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), intervals[0].End);
    }
}
