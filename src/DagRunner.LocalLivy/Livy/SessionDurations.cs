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
        double? unitMs = match.Groups["unit"].Value switch
        {
            "us" => 0.001,
            "" or "ms" => 1,
            "s" => 1_000,
            "m" or "min" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => null,
        };
        if (unitMs is null)
            return (null, $"Invalid suffix: \"{match.Groups["unit"].Value}\"");
        // Java's long milliseconds are the limit, as in Livy; beyond it is an invalid time string.
        if (!double.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ||
            amount * unitMs.Value > TimeSpan.MaxValue.TotalMilliseconds)
            return (null, $"Invalid time string: {text}");
        return (TimeSpan.FromMilliseconds(amount * unitMs.Value), null);
    }

    /// <summary>The session's own idle timeout (Livy 0.9 <c>idleTimeout</c>), already validated at create.</summary>
    public static TimeSpan? IdleTimeout(SessionRequest request) => Parse(request.IdleTimeout).Value;

    [GeneratedRegex("^(?<n>[0-9]+)(?<unit>[a-z]*)$")]
    private static partial Regex DurationPattern();
}
