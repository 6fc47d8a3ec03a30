using DagRunner.Hosting.Dags;

namespace DagRunner.Hosting.Tests.Dags;

/// <summary>Schedules in words, as the DAGs page shows them.</summary>
public sealed class ScheduleWordsTests
{
    [Theory]
    [InlineData(null, "UTC", "manual runs only")]
    [InlineData("@once", "UTC", "once, at the start date")]
    [InlineData("@hourly", "UTC", "at minute 0 of every hour")]
    [InlineData("@daily", "UTC", "every day at 00:00 UTC")]
    [InlineData("@weekly", "UTC", "Sundays at 00:00 UTC")]
    [InlineData("@monthly", "UTC", "on day 1 of every month at 00:00 UTC")]
    [InlineData("@yearly", "UTC", "on January 1 at 00:00 UTC")]
    [InlineData("0 2 * * *", "UTC", "every day at 02:00 UTC")]
    [InlineData("15 * * * *", "UTC", "at minute 15 of every hour")]
    [InlineData("30 6 * * 1", "Europe/Paris", "Mondays at 06:30 (Europe/Paris)")]
    [InlineData("30 6 * * MON-FRI", "UTC", "Mondays to Fridays at 06:30 UTC")]
    [InlineData("0 8,20 * * *", "UTC", "every day at 08:00 and 20:00 UTC")]
    [InlineData("0,30 * * * *", "UTC", "at minutes 0 and 30 of every hour")]
    [InlineData("*/5 * * * *", "UTC", "every 5 minutes")]
    [InlineData("*/5 * * * *", "Asia/Tokyo", "every 5 minutes (Asia/Tokyo)")]
    [InlineData("* * * * *", "UTC", "every minute")]
    [InlineData("10 */2 * * *", "UTC", "every 2 hours at minute 10")]
    [InlineData("0 9-17 * * 1-5", "UTC", "at minute 0 of every hour from 09:00 to 17:59 on Mondays to Fridays UTC")]
    [InlineData("0 0 1,15 * *", "UTC", "on days 1 and 15 of every month at 00:00 UTC")]
    [InlineData("0 3 * 7 *", "UTC", "every day in July at 03:00 UTC")]
    [InlineData("0 0 1 1,7 *", "UTC", "on day 1 of January and July at 00:00 UTC")]
    [InlineData("0 0 * * 0,6", "UTC", "Sundays and Saturdays at 00:00 UTC")]
    [InlineData("0 0 * * 7", "UTC", "Sundays at 00:00 UTC")]
    [InlineData("0 12 1 * 1", "UTC", "minute 0, hour 12, day of month 1, day of week 1 (cron, UTC)")]
    [InlineData("0-30/5 9 * * *", "UTC", "minute 0-30/5, hour 9 (cron, UTC)")]
    [InlineData("0 0 L * *", "Europe/Paris", "minute 0, hour 0, day of month L (cron, Europe/Paris)")]
    public void Describe_AScheduleAndItsZone_SaysWhenItRuns(string? schedule, string zone, string expected) =>
        Assert.Equal(expected, ScheduleWords.Describe(schedule, zone));
}
