using System.Globalization;

namespace DagRunner.Web.Pages.Shared;

/// <summary>How pages write times and durations: UTC, to the second, the same on every page.</summary>
internal static class Show
{
    /// <summary><c>2026-12-03 11:40:00</c> (UTC), or an empty string.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary><c>2026-12-03</c>, the logical date as a day.</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary><c>850 ms</c>, <c>12.4 s</c>, <c>3 min 05 s</c>, <c>2 h 01 min</c>.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalSeconds: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        { TotalMinutes: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.0} s"),
        { TotalHours: < 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds:00} s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours} h {d.Minutes:00} min"),
    };

    /// <summary>An enum's name as the store and the CLI write it: <c>UpForRetry</c> → <c>up_for_retry</c>.</summary>
    public static string Snake(string name) => Engine.Execution.TaskStates.Snake(name);
}
