using DagRunner.Engine.Scheduling;

namespace DagRunner.Engine.Tests;

public sealed class ScheduleExpressionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("@daily", "2026-11-21T00:00:00+00:00")]
    [InlineData("@hourly", "2026-11-20T13:00:00+00:00")]
    [InlineData("@weekly", "2026-11-22T00:00:00+00:00")]
    [InlineData("@monthly", "2026-12-01T00:00:00+00:00")]
    [InlineData("@yearly", "2027-01-01T00:00:00+00:00")]
    [InlineData("*/15 * * * *", "2026-11-20T12:15:00+00:00")]
    [InlineData("0 6 * * 1-5", "2026-11-23T06:00:00+00:00")]
    public void NextAfter_FiresWhereCronSays(string text, string expected)
    {
        Assert.True(ScheduleExpression.TryParse(text, out var schedule, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule!.NextAfter(Noon, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Once_HasNoNextTick()
    {
        Assert.True(ScheduleExpression.TryParse("@once", out var schedule, out _));

        Assert.True(schedule!.IsOnce);
        Assert.Null(schedule.NextAfter(Noon, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("61 * * * *", "61")]
    [InlineData("* * * *", "5 fields")]
    [InlineData("0 0 * * * *", "5 fields")]
    [InlineData("@fortnightly", "unknown preset")]
    public void TryParse_Invalid_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(ScheduleExpression.TryParse(text, out _, out var error));

        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
