using System.Globalization;
using System.Text.RegularExpressions;

namespace DagRunner.LocalLivy.Livy;

/// <summary>Livy's duration strings (<c>ClientConf.getTimeAsMs</c>): an integer with an optional
/// suffix <c>us, ms, s, m, min, h, d</c>; no suffix means milliseconds.</summary>
internal static partial class SessionDurations
{
    /// <summary>The duration, or an error in Livy's words.</summary>
    public static (TimeSpan? Value, string? Error) Parse(string? text)
    {
        if (text is null)
            return (null, null);
        var match = DurationPattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success)
            return (null, $"Invalid time string: {text}");
        var amount = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        TimeSpan? value = match.Groups["unit"].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(amount),
            "" or "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" or "min" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => null,
        };
        return value is null ? (null, $"Invalid suffix: \"{match.Groups["unit"].Value}\"") : (value, null);
    }

    /// <summary>The session's own idle timeout (Livy 0.9 <c>idleTimeout</c>), already validated at create.</summary>
    public static TimeSpan? IdleTimeout(SessionRequest request) => Parse(request.IdleTimeout).Value;

    [GeneratedRegex("^(?<n>[0-9]+)(?<unit>[a-z]*)$")]
    private static partial Regex DurationPattern();
}
