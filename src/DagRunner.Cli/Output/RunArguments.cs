using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;

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
            if (RunInput.TryParseDate(text, out var date))
                return date;
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
            if (RunInput.TryParseConf(text, out var conf, out var error))
                return conf;
            result.AddError($"--conf: {error}");
            return null;
        },
    };

    /// <summary>The run that <c>--date</c> (default: now) and <c>--conf</c> describe.</summary>
    public static DagTestRequest Request(
        ParseResult parse, Option<DateTimeOffset?> date, Option<ImmutableSortedDictionary<string, JsonElement>?> conf, TimeProvider time) =>
        RunInput.Request(parse.GetValue(date), parse.GetValue(conf), time);
}
