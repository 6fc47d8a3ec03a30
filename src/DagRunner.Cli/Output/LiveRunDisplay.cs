using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DagRunner.Engine.Execution;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>
/// A run in a terminal: one live table row per task (state, attempt, time, last log line) redrawn
/// while the run goes, instead of interleaved log lines. Every line is still in the task's log file.
/// </summary>
internal sealed class LiveRunDisplay(IReadOnlyList<string> taskIds) : DagRunObserver
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, Row> _rows = new(taskIds.Select(id => KeyValuePair.Create(id, new Row())), StringComparer.Ordinal);

    /// <summary>Shows the table while <paramref name="run"/> runs, and leaves its last state on screen.</summary>
    public async Task<T> ShowAsync<T>(IAnsiConsole console, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        var result = default(T)!;
        await console.Live(Table()).AutoClear(false).StartAsync(async live =>
        {
            var work = run();
            // Redrawn on the wall clock: this is a display, not a timing the run depends on.
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(Refresh, TimeProvider.System)).ConfigureAwait(false);
                live.UpdateTarget(Table());
            }

            result = await work.ConfigureAwait(false);
            live.UpdateTarget(Table());
        }).ConfigureAwait(false);
        return result;
    }

    public override void TaskStarted(string taskId, int attempt)
    {
        var row = _rows.GetOrAdd(taskId, _ => new Row());
        lock (row)
        {
            row.State = "running";
            row.Color = "blue";
            row.Attempt = attempt;
#pragma warning disable RS0030 // The elapsed time a person watches on the terminal: the wall clock's, not a timing the run depends on.
            row.Clock = Stopwatch.StartNew();
#pragma warning restore RS0030
        }
    }

    public override void TaskLog(string taskId, string line)
    {
        var row = _rows.GetOrAdd(taskId, _ => new Row());
        lock (row)
            row.LastLine = line;
    }

    public override void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt)
    {
        var row = _rows.GetOrAdd(taskId, _ => new Row());
        lock (row)
        {
            row.State = "up_for_retry";
            row.Color = "yellow";
            row.Clock?.Stop();
            row.LastLine = $"attempt {attempt} failed: {reason}; next at {retryAt:HH:mm:ss} UTC";
        }
    }

    public override void TaskFinished(TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var row = _rows.GetOrAdd(outcome.TaskId, _ => new Row());
        var (color, word) = ConsoleRunObserver.Describe(outcome.State);
        lock (row)
        {
            row.State = word;
            row.Color = color;
            row.Clock?.Stop();
            if (outcome.Error is { } error)
                row.LastLine = error;
        }
    }

    private Table Table()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Task", "State", "Attempt", "Time", "Last line");
        foreach (var id in taskIds)
        {
            var row = _rows[id];
            lock (row)
            {
                var line = row.LastLine is { Length: > 80 } long_ ? long_[..79] + "…" : row.LastLine ?? "";
                table.AddRow(
                    Markup.Escape(id),
                    $"[{row.Color}]{Markup.Escape(row.State)}[/]",
                    row.Attempt > 0 ? row.Attempt.ToString(CultureInfo.InvariantCulture) : "-",
                    row.Clock is { } clock ? clock.Elapsed.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture) : "-",
                    Markup.Escape(line));
            }
        }

        return table;
    }

    private sealed class Row
    {
        public string State { get; set; } = "none";

        public string Color { get; set; } = "grey";

        public int Attempt { get; set; }

        public Stopwatch? Clock { get; set; }

        public string? LastLine { get; set; }
    }
}
