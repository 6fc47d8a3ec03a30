using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using DagRunner.Engine.Runs;

namespace DagRunner.Hosting.Runs;

/// <summary>The logical date and conf of a run as a user types them, read the same way by every front end.</summary>
public static class RunInput
{
    /// <summary>Reads <c>2026-11-20</c> (midnight UTC) or an ISO 8601 date-time (UTC when no offset is given).</summary>
    public static bool TryParseDate(string text, out DateTimeOffset logicalDate)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            logicalDate = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            logicalDate = moment.ToUniversalTime();
            return true;
        }

        logicalDate = default;
        return false;
    }

    /// <summary>Reads a run's conf, a JSON object; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParseConf(string text, out ImmutableSortedDictionary<string, JsonElement> conf, out string? error)
    {
        conf = ImmutableSortedDictionary<string, JsonElement>.Empty;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the conf must be a JSON object.";
                return false;
            }

            conf = document.RootElement.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            // Where, as people count (from 1); the parser's own text counts from 0, so its tail is cut off.
            var what = ex.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].Trim();
            error = string.Create(CultureInfo.InvariantCulture, $"not valid JSON: line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {what}");
            return false;
        }
    }

    /// <summary>The run that <paramref name="logicalDate"/> (default: now) and <paramref name="conf"/> describe.</summary>
    public static DagTestRequest Request(DateTimeOffset? logicalDate, ImmutableSortedDictionary<string, JsonElement>? conf, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new DagTestRequest
        {
            LogicalDate = logicalDate ?? time.GetUtcNow(),
            Conf = conf ?? ImmutableSortedDictionary<string, JsonElement>.Empty,
        };
    }
}
