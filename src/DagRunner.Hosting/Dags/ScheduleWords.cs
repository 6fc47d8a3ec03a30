using System.Globalization;

namespace DagRunner.Hosting.Dags;

/// <summary>
/// A DAG's schedule in words, for people: <c>0 2 * * *</c> is "every day at 02:00 UTC", <c>15 * * * *</c>
/// "at minute 15 of every hour", <c>30 6 * * 1</c> in Europe/Paris "Mondays at 06:30 (Europe/Paris)".
/// It reads what the SDK accepts (5-field cron, the presets, none); what it cannot put in words well
/// (steps inside ranges, <c>L</c>, <c>W</c>, <c>#</c>) it lists field by field rather than guess.
/// </summary>
public static class ScheduleWords
{
    private static readonly string[] Days = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly Dictionary<string, string> Presets = new(StringComparer.Ordinal)
    {
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
    };

    /// <summary>The schedule <paramref name="schedule"/> (as written in the DAG) read in <paramref name="timeZone"/>, in words.</summary>
    public static string Describe(string? schedule, string? timeZone = "UTC")
    {
        if (string.IsNullOrWhiteSpace(schedule))
            return "manual runs only";
        var text = schedule.Trim();
        if (text == "@once")
            return "once, at the start date";
        var cron = Presets.GetValueOrDefault(text, text);
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            return $"cron '{text}' (not 5 fields)";
        var utc = timeZone is null or "" or "UTC" or "Etc/UTC";
        var minute = Field.Parse(fields[0], 0, 59, null);
        var hour = Field.Parse(fields[1], 0, 23, null);
        var day = Field.Parse(fields[2], 1, 31, null);
        var month = Field.Parse(fields[3], 1, 12, MonthNames);
        var weekday = Field.Parse(fields[4], 0, 7, DayNames);
        var days = DaysPhrase(day, month, weekday);
        var zone = utc ? " UTC" : $" ({timeZone})";
        var time = TimePhrase(minute, hour);
        if (days is null || time is null)
            return FieldByField(fields) + (utc ? " (cron, UTC)" : $" (cron, {timeZone})");
        var (phrase, clock, zoneMatters) = time.Value;
        if (clock)
            return $"{days} at {phrase}{zone}";
        var on = days == "every day" ? "" : days.StartsWith("every day in", StringComparison.Ordinal) ? days["every day".Length..] : days.StartsWith("on ", StringComparison.Ordinal) ? " " + days : " on " + days;
        return phrase + on + (zoneMatters || !utc ? zone : "");
    }

    // The time of day: a list of clock times (clock), or a phrase; zoneMatters when it names hours of the day.
    private static (string Phrase, bool Clock, bool ZoneMatters)? TimePhrase(Field minute, Field hour)
    {
        return (minute.Kind, hour.Kind) switch
        {
            (FieldKind.Values, FieldKind.Values) when minute.Values.Length * hour.Values.Length <= 8 =>
                (Join([.. hour.Values.SelectMany(h => minute.Values.Select(m => Clock(h, m)))]), true, true),
            (FieldKind.Values, FieldKind.Any) => ($"at {Minutes(minute)} of every hour", false, false),
            (FieldKind.Values, FieldKind.Every) => ($"every {hour.Step} hours at {Minutes(minute)}", false, false),
            (FieldKind.Values, FieldKind.Range) => ($"at {Minutes(minute)} of every hour from {Clock(hour.From, 0)} to {Clock(hour.To, 59)}", false, true),
            (FieldKind.Any, FieldKind.Any) => ("every minute", false, false),
            (FieldKind.Every, FieldKind.Any) => ($"every {minute.Step} minutes", false, false),
            (FieldKind.Any or FieldKind.Every, FieldKind.Values) when hour.Values.Length == 1 =>
                ($"{Often(minute)} from {Clock(hour.Values[0], 0)} to {Clock(hour.Values[0], 59)}", false, true),
            (FieldKind.Any or FieldKind.Every, FieldKind.Range) => ($"{Often(minute)} from {Clock(hour.From, 0)} to {Clock(hour.To, 59)}", false, true),
            _ => null,
        };

        static string Often(Field minute) => minute.Kind == FieldKind.Any ? "every minute" : $"every {minute.Step} minutes";
    }

    // The days: "every day", "Mondays to Fridays", "on day 1 of every month", "on January 1", "every day in July".
    private static string? DaysPhrase(Field day, Field month, Field weekday)
    {
        var weekdays = weekday.Kind switch
        {
            FieldKind.Any => "",
            FieldKind.Values => Join([.. weekday.Values.Select(d => d % 7).Distinct().Order().Select(d => Days[d])]),
            FieldKind.Range when weekday.From < weekday.To => $"{Days[weekday.From % 7]} to {Days[weekday.To % 7]}",
            _ => null,
        };
        if (weekdays is null || (weekdays.Length > 0 && day.Kind != FieldKind.Any))
            return null; // cron matches either the day of the month or the weekday then: too subtle for a phrase
        var months = month.Kind switch
        {
            FieldKind.Any => "",
            FieldKind.Values => Join([.. month.Values.Select(m => Months[m - 1])]),
            FieldKind.Range => $"{Months[month.From - 1]} to {Months[month.To - 1]}",
            _ => null,
        };
        if (months is null)
            return null;
        if (weekdays.Length > 0)
            return months.Length == 0 ? weekdays : $"{weekdays} in {months}";
        return day.Kind switch
        {
            FieldKind.Any => months.Length == 0 ? "every day" : $"every day in {months}",
            FieldKind.Values when months.Length == 0 => $"on {Plural("day", day.Values)} of every month",
            FieldKind.Values when month.Kind == FieldKind.Values && month.Values.Length == 1 && day.Values.Length == 1 => $"on {months} {day.Values[0]}",
            FieldKind.Values => $"on {Plural("day", day.Values)} of {months}",
            _ => null,
        };
    }

    private static string Minutes(Field minute) => Plural("minute", minute.Values);

    private static string Plural(string noun, int[] values) =>
        values.Length == 1 ? $"{noun} {values[0]}" : $"{noun}s {Join([.. values.Select(v => v.ToString(CultureInfo.InvariantCulture))])}";

    private static string Clock(int hour, int minute) => string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}");

    private static string Join(string[] parts) => parts.Length switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts[..^1]) + " and " + parts[^1],
    };

    private static string FieldByField(string[] fields)
    {
        string[] names = ["minute", "hour", "day of month", "month", "day of week"];
        var parts = fields.Select((f, i) => f is "*" or "?" ? null : $"{names[i]} {f}").OfType<string>().ToArray();
        return parts.Length == 0 ? "every minute" : string.Join(", ", parts);
    }

    private enum FieldKind { Any, Every, Values, Range, Other }

    private readonly record struct Field(FieldKind Kind, int Step, int[] Values, int From, int To)
    {
        public static Field Parse(string text, int min, int max, string[]? names)
        {
            if (text is "*" or "?" or "*/1")
                return new Field(FieldKind.Any, 0, [], 0, 0);
            if (text.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 1)
                return new Field(FieldKind.Every, step, [], 0, 0);
            var dash = text.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && Number(text[..dash], min, max, names) is { } from && Number(text[(dash + 1)..], min, max, names) is { } to && from <= to)
                return new Field(FieldKind.Range, 0, [], from, to);
            var values = text.Split(',').Select(v => Number(v, min, max, names)).ToArray();
            return values.All(v => v is not null)
                ? new Field(FieldKind.Values, 0, [.. values.Select(v => v!.Value).Distinct().Order()], 0, 0)
                : new Field(FieldKind.Other, 0, [], 0, 0);
        }

        private static int? Number(string text, int min, int max, string[]? names)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                return value >= min && value <= max ? value : null;
            var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return index < 0 ? null : index + (min == 1 ? 1 : 0);
        }
    }
}
