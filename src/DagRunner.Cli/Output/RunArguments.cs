using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace DagRunner.Cli.Output;

/// <summary>The <c>--date</c> and <c>--conf</c> options of the commands that start runs.</summary>
internal static class RunArguments
{
    public static Option<DateTimeOffset?> DateOption(string name = "--date", string description = "The logical date: 2026-11-20 or an ISO 8601 date-time (default: now, UTC)") => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
            {
                return moment.ToUniversalTime();
            }

            result.AddError($"{name}: '{text}' is not a date (2026-11-20) or an ISO 8601 date-time.");
            return null;
        },
    };

    public static Option<ImmutableSortedDictionary<string, JsonElement>?> ConfOption() => new("--conf")
    {
        Description = "The run's conf, a JSON object, e.g. '{\"table\": \"sales\"}'",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    result.AddError("--conf: the conf must be a JSON object.");
                    return null;
                }

                return document.RootElement.EnumerateObject()
                    .ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            }
            catch (JsonException ex)
            {
                result.AddError($"--conf: not valid JSON: {ex.Message}");
                return null;
            }
        },
    };

    /// <summary>The run that <c>--date</c> (default: now) and <c>--conf</c> describe.</summary>
    public static Engine.Runs.DagTestRequest Request(
        ParseResult parse, Option<DateTimeOffset?> date, Option<ImmutableSortedDictionary<string, JsonElement>?> conf, TimeProvider time) => new()
    {
        LogicalDate = parse.GetValue(date) ?? time.GetUtcNow(),
        Conf = parse.GetValue(conf) ?? ImmutableSortedDictionary<string, JsonElement>.Empty,
    };
}
