using System.Text.Json;
using DagRunner.Clients.Emr;

namespace DagRunner.Clients.Tests.Emr;

/// <summary>EMR writes times as epoch seconds; a stand-in that writes ISO 8601 text, or the number as a string, is
/// understood too, and text that is neither is an unreadable answer, not a crash.</summary>
public sealed class EmrTimelineTests
{
    private static readonly DateTimeOffset Expected = new(2026, 11, 20, 6, 30, 0, 500, TimeSpan.Zero);

    [Theory]
    [InlineData("1795156200.5")]
    [InlineData("\"1795156200.5\"")]
    [InlineData("\"2026-11-20T06:30:00.500Z\"")]
    [InlineData("\"2026-11-20T07:30:00.500+01:00\"")]
    public void CreationDateTime_ReadInEachForm(string written)
    {
        var answer = JsonSerializer.Deserialize("""{"Step": {"Id": "s-1", "Status": {"State": "RUNNING", "Timeline": {"CreationDateTime": """ + written + "}}}}", EmrJson.Default.DescribeStepAnswer)!;

        Assert.Equal(Expected, answer.Step.Status.Timeline!.CreationDateTime);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"NaN\"")]
    [InlineData("1e20")]
    [InlineData("\"-1e20\"")]
    public void CreationDateTime_NotATime_IsAJsonError(string written) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"Step": {"Id": "s-1", "Status": {"State": "RUNNING", "Timeline": {"CreationDateTime": """ + written + "}}}}", EmrJson.Default.DescribeStepAnswer));
}
