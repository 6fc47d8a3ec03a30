using Cronos;

namespace DagRunner.Engine.Scheduling;

/// <summary>
/// A DAG's schedule: a 5-field cron expression, a preset (<c>@once</c>, <c>@hourly</c>,
/// <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c>), or none (manual runs only).
/// </summary>
public sealed class ScheduleExpression
{
    /// <summary>The presets accepted besides cron expressions.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly"];

    private static readonly Dictionary<string, string> PresetCron = new(StringComparer.Ordinal)
    {
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
    };

    private readonly CronExpression? _cron;

    private ScheduleExpression(string text, CronExpression? cron)
    {
        Text = text;
        _cron = cron;
    }

    /// <summary>The schedule as written.</summary>
    public string Text { get; }

    /// <summary>Whether this is <c>@once</c>: a single run at the start date.</summary>
    public bool IsOnce => _cron is null;

    /// <summary>Parses <paramref name="text"/>, or says what is wrong with it.</summary>
    public static bool TryParse(string text, out ScheduleExpression? schedule, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        schedule = null;
        error = null;
        var trimmed = text.Trim();
        if (trimmed == "@once")
        {
            schedule = new ScheduleExpression(trimmed, cron: null);
            return true;
        }

        if (trimmed.StartsWith('@'))
        {
            if (!PresetCron.TryGetValue(trimmed, out var expanded))
            {
                error = $"Invalid schedule '{text}': unknown preset; use one of {string.Join(", ", Presets)} or a 5-field cron expression.";
                return false;
            }

            trimmed = expanded;
        }

        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"Invalid schedule '{text}': a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has {fields.Length}.";
            return false;
        }

        try
        {
            schedule = new ScheduleExpression(text.Trim(), CronExpression.Parse(trimmed, CronFormat.Standard));
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"Invalid schedule '{text}': {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// The first fire time strictly after <paramref name="after"/> in <paramref name="zone"/>, or
    /// <see langword="null"/> when there is none (an <c>@once</c> schedule).
    /// </summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone) =>
        _cron?.GetNextOccurrence(after, zone);

    /// <inheritdoc />
    public override string ToString() => Text;
}
