using System.Globalization;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;

namespace DagRunner.Web.Pages.Views;

/// <summary>
/// The durations chart, computed for drawing: one bar per run (its whole duration, oldest on the left,
/// coloured by the run's state so a failed run is red) and one line per task (its duration in each
/// run), on one time axis whose unit suits the longest duration (s, min or h). A run or task still
/// running counts up to now.
/// </summary>
internal sealed class DurationsChart
{
    public const double Width = 960;
    public const double Height = 340;
    public const double Left = 70;
    public const double Right = 16;
    public const double Top = 16;
    public const double Bottom = 70;

    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
        "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939",
    ];

    private DurationsChart(IReadOnlyList<RunBar> bars, IReadOnlyList<TaskSeries> series, IReadOnlyList<AxisTick> ticks, IReadOnlyList<AxisTick> labels, string unit)
    {
        Bars = bars;
        Series = series;
        Ticks = ticks;
        Labels = labels;
        Unit = unit;
    }

    /// <summary>The runs' bars, oldest first.</summary>
    public IReadOnlyList<RunBar> Bars { get; }

    /// <summary>One line per task, in the DAG's order.</summary>
    public IReadOnlyList<TaskSeries> Series { get; }

    /// <summary>The time axis' ticks (Position is y).</summary>
    public IReadOnlyList<AxisTick> Ticks { get; }

    /// <summary>The runs' labels under the bars (Position is x); some are left out when runs are many.</summary>
    public IReadOnlyList<AxisTick> Labels { get; }

    /// <summary>The axis' unit: <c>s</c>, <c>min</c> or <c>h</c>.</summary>
    public string Unit { get; }

    /// <summary>The bottom of the plot (y of zero).</summary>
    public static double Baseline => Height - Bottom;

    /// <summary>Builds the chart of <paramref name="runs"/> (oldest first) for the tasks <paramref name="taskIds"/>
    /// (tasks the runs have that the DAG no longer does are added after them).</summary>
    public static DurationsChart Build(IReadOnlyList<RunTimes> runs, IReadOnlyList<string> taskIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ids = taskIds.Concat(runs.SelectMany(r => r.Tasks.Select(t => t.TaskId)).Distinct(StringComparer.Ordinal).Where(id => !taskIds.Contains(id)).Order(StringComparer.Ordinal)).ToList();
        var runSeconds = runs.Select(r => Seconds(r.Run.StartedAt, r.Run.EndedAt, now)).ToArray();
        var taskSeconds = runs.Select(r => r.Tasks.ToDictionary(t => t.TaskId, t => Seconds(t.StartedAt, t.EndedAt, now), StringComparer.Ordinal)).ToArray();
        var longest = runSeconds.Concat(taskSeconds.SelectMany(d => d.Values)).Select(s => s ?? 0).DefaultIfEmpty(0).Max();
        var (unit, perUnit) = longest switch { < 120 => ("s", 1.0), < 7200 => ("min", 60.0), _ => ("h", 3600.0) };
        var step = NiceStep(Math.Max(longest / perUnit, 1e-9) / 5);
        var top = Math.Max(step, Math.Ceiling(longest / perUnit / step) * step) * perUnit;
        var plotHeight = Baseline - Top;
        double Y(double seconds) => Baseline - seconds / top * plotHeight;

        var slot = (Width - Left - Right) / Math.Max(1, runs.Count);
        double X(int i) => Left + slot * (i + 0.5);
        var barWidth = Math.Min(40, slot * 0.6);
        var bars = new List<RunBar>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i].Run;
            var seconds = runSeconds[i];
            var y = seconds is { } s ? Y(s) : Baseline;
            var state = Show.Snake(run.State.ToString());
            bars.Add(new RunBar(run.RunId, state, X(i) - barWidth / 2, y, barWidth, Baseline - y,
                $"{run.RunId} · {state.Replace('_', ' ')} · " + (seconds is { } d ? Exact(d, run.EndedAt is null) : "not started")));
        }

        var series = new List<TaskSeries>(ids.Count);
        for (var t = 0; t < ids.Count; t++)
        {
            var points = new List<ChartPoint?>(runs.Count);
            for (var i = 0; i < runs.Count; i++)
            {
                var instance = runs[i].Tasks.FirstOrDefault(x => x.TaskId == ids[t]);
                points.Add(taskSeconds[i].GetValueOrDefault(ids[t]) is { } s && instance is not null
                    ? new ChartPoint(X(i), Y(s), $"{ids[t]} · {runs[i].Run.RunId} · {Show.Snake(instance.State.ToString()).Replace('_', ' ')} · {Exact(s, instance.EndedAt is null)}")
                    : null);
            }

            // Past the palette, lines are dashed, so two tasks never look the same.
            series.Add(new TaskSeries(ids[t], Palette[t % Palette.Length], t < Palette.Length ? null : (t / Palette.Length % 2 == 1 ? "6 3" : "2 3"), points));
        }

        var ticks = new List<AxisTick>();
        for (var v = 0.0; v <= top / perUnit + step / 2; v += step)
            ticks.Add(new AxisTick(Y(v * perUnit), string.Create(CultureInfo.InvariantCulture, $"{v:0.##} {unit}")));
        var every = (int)Math.Ceiling(runs.Count / 16.0);
        var sameDay = runs.Select(r => Show.Day(r.Run.LogicalDate)).Distinct().Count() < runs.Count;
        var labels = runs.Select((r, i) => (r, i)).Where(p => p.i % Math.Max(1, every) == 0 || p.i == runs.Count - 1)
            .Select(p => new AxisTick(X(p.i), sameDay ? p.r.Run.LogicalDate.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : Show.Day(p.r.Run.LogicalDate)))
            .ToList();
        return new DurationsChart(bars, series, ticks, labels, unit);
    }

    private static double? Seconds(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now) =>
        start is { } s ? Math.Max(0, ((end ?? now) - s).TotalSeconds) : null;

    private static string Exact(double seconds, bool running) =>
        string.Create(CultureInfo.InvariantCulture, $"{Show.Duration(TimeSpan.FromSeconds(seconds))} ({seconds:0.000} s){(running ? ", still running" : "")}");

    // 1, 2 or 5 times a power of ten: ticks a reader can add up.
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }
}

/// <summary>A run's bar: its box and hover text.</summary>
internal sealed record RunBar(string RunId, string State, double X, double Y, double Width, double Height, string Title);

/// <summary>A task's line: its colour, dash (null for solid) and a point per run (null where it did not run).</summary>
internal sealed record TaskSeries(string TaskId, string Colour, string? Dash, IReadOnlyList<ChartPoint?> Points)
{
    /// <summary>The runs of points without a gap, each drawn as one polyline.</summary>
    public IEnumerable<IReadOnlyList<ChartPoint>> Segments()
    {
        var current = new List<ChartPoint>();
        foreach (var point in Points)
        {
            if (point is not null)
            {
                current.Add(point);
                continue;
            }

            if (current.Count > 0)
                yield return current;
            current = [];
        }

        if (current.Count > 0)
            yield return current;
    }
}

/// <summary>A point of a task's line, with its hover text.</summary>
internal sealed record ChartPoint(double X, double Y, string Title);

/// <summary>A tick or label on an axis.</summary>
internal sealed record AxisTick(double Position, string Label);
