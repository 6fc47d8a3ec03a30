using DagRunner.Engine.Execution;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>Streams a run to the terminal: a line when a task starts and ends, and its log lines as they come.</summary>
internal sealed class ConsoleRunObserver(CliIo io) : DagRunObserver
{
    private readonly Lock _gate = new();

    public override void TaskStarted(string taskId, int attempt)
    {
        lock (_gate)
        {
            io.Console.MarkupLine($"[blue]>[/] [bold]{Markup.Escape(taskId)}[/] started (attempt {attempt})");
        }
    }

    public override void TaskLog(string taskId, string line)
    {
        // Plain writes: log lines must not be re-wrapped or read as markup.
        lock (_gate)
        {
            io.Out.WriteLine($"  {taskId} | {line}");
        }
    }

    public override void TaskRetrying(string taskId, int attempt, string? reason, DateTimeOffset retryAt)
    {
        lock (_gate)
        {
            io.Console.MarkupLine($"[yellow]up_for_retry[/] [bold]{Markup.Escape(taskId)}[/]: attempt {attempt} failed" +
                Markup.Escape($"{(reason is null ? "" : ": " + reason)}; attempt {attempt + 1} at {retryAt:HH:mm:ss} UTC"));
        }
    }

    public override void TaskFinished(TaskOutcome outcome)
    {
        var (color, word) = Describe(outcome.State);
        var duration = outcome.Attempts > 0 ? $" in {outcome.Duration.TotalSeconds:0.0} s" : string.Empty;
        var error = outcome.Error is null ? string.Empty : $": {Markup.Escape(outcome.Error)}";
        lock (_gate)
        {
            io.Console.MarkupLine($"[{color}]{word}[/] [bold]{Markup.Escape(outcome.TaskId)}[/]{duration}{error}");
        }
    }

    public static (string Color, string Word) Describe(TaskState state) => state switch
    {
        TaskState.Success => ("green", "success"),
        TaskState.Failed => ("red", "failed"),
        TaskState.UpstreamFailed => ("orange3", "upstream_failed"),
        TaskState.Skipped => ("grey", "skipped"),
        _ => ("yellow", TaskStates.Name(state)),
    };
}
