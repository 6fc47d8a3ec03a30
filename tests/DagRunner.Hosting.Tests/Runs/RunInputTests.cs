using DagRunner.Hosting.Runs;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>The logical date and conf as users type them.</summary>
public sealed class RunInputTests
{
    [Theory]
    [InlineData("2026-11-20", "2026-11-20T00:00:00+00:00")]
    [InlineData("2026-11-20T06:30:00", "2026-11-20T06:30:00+00:00")]
    [InlineData("2026-11-20T06:30:00+02:00", "2026-11-20T04:30:00+00:00")]
    public void TryParseDate_DayOrIsoDateTime_IsUtc(string text, string expected)
    {
        Assert.True(RunInput.TryParseDate(text, out var date));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), date);
        Assert.Equal(TimeSpan.Zero, date.Offset);
    }

    [Fact]
    public void TryParseDate_NotADate_IsRefused() => Assert.False(RunInput.TryParseDate("yesterday", out _));

    [Theory]
    [InlineData("[1]", "the conf must be a JSON object.")]
    [InlineData("{", "not valid JSON: ")]
    public void TryParseConf_NotAJsonObject_SaysWhy(string text, string error)
    {
        Assert.False(RunInput.TryParseConf(text, out _, out var why));
        Assert.StartsWith(error, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_WithoutDate_IsNowWithAnEmptyConf()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero));

        var request = RunInput.Request(null, null, time);

        Assert.Equal(time.GetUtcNow(), request.LogicalDate);
        Assert.Empty(request.Conf);
        Assert.Equal("manual__2026-11-20T06:00:00+00:00", request.RunId);
    }
}
