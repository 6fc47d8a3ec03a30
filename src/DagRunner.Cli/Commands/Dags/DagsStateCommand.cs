using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags state DAG [--date D] [--json]</c>: a run's state (the latest, or that logical date's) and its task instances.</summary>
internal static class DagsStateCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var date = RunArguments.DateOption();
        var json = new Option<bool>("--json") { Description = "Write JSON" };
        var command = new Command("state", "Show the state of a run (the latest, or the run of --date) and of each task instance") { dagId, date, json };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var id = parse.GetValue(dagId)!;
            var (view, hasRuns) = await session.Runs.FindRunAsync(id, parse.GetValue(date), ct).ConfigureAwait(false);
            if (view is null)
            {
                await session.Io.Error.WriteLineAsync(hasRuns ? $"DAG '{id}' has no run of that logical date." : $"DAG '{id}' has no runs.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var (run, rows) = (view.Run, view.Tasks);
            if (parse.GetValue(json))
            {
                await session.Io.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    run.DagId, run.RunId, RunType = run.RunType.ToString().ToLowerInvariant(), run.LogicalDate, run.DataIntervalStart, run.DataIntervalEnd,
                    State = TaskStates.Snake(run.State.ToString()), run.QueuedAt, run.StartedAt, run.EndedAt,
                    Tasks = rows.Select(r => new
                    {
                        r.Task.TaskId, State = TaskStates.Name(r.Task.State), r.Task.TryNumber, r.Task.StartedAt, r.Task.EndedAt,
                        r.Task.RetryAt, r.Task.Error, r.Task.LogFile, r.Remote,
                        Attempts = r.Attempts.Select(a => new
                        {
                            a.TryNumber, State = TaskStates.Name(a.State), a.StartedAt, a.EndedAt, a.Error, a.LogFile,
                            Rendered = a.RenderedFields is null ? (JsonElement?)null : JsonDocument.Parse(a.RenderedFields).RootElement.Clone(),
                        }),
                    }),
                }, Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = session.Io.Console;
            console.MarkupLine($"[bold]{Markup.Escape(run.RunId)}[/] of {Markup.Escape(run.DagId)}: {Markup.Escape(TaskStates.Snake(run.State.ToString()))}" +
                Markup.Escape($" (logical date {run.LogicalDate:yyyy-MM-dd HH:mm}, interval to {run.DataIntervalEnd:yyyy-MM-dd HH:mm} UTC)"));
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Task", "State", "Attempts", "Started (UTC)", "Ended (UTC)", "Remote", "Log");
            foreach (var row in rows)
            {
                var (color, word) = ConsoleRunObserver.Describe(row.Task.State);
                table.AddRow(
                    Markup.Escape(row.Task.TaskId),
                    $"[{color}]{word}[/]",
                    row.Task.TryNumber.ToString(CultureInfo.InvariantCulture),
                    row.Task.StartedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                    row.Task.EndedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                    Markup.Escape(row.RemoteSummary),
                    Markup.Escape(row.Task.LogFile is null ? "-" : session.Io.Display(row.Task.LogFile)));
            }

            console.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
