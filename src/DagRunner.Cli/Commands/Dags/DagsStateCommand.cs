using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
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
            var runs = await session.Store.ListRunsAsync(id, null, ct).ConfigureAwait(false);
            var run = parse.GetValue(date) is { } day ? runs.FirstOrDefault(r => r.LogicalDate == day) : runs.Count > 0 ? runs[0] : null;
            if (run is null)
            {
                await session.Io.Error.WriteLineAsync(runs.Count == 0 ? $"DAG '{id}' has no runs." : $"DAG '{id}' has no run of that logical date.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            // The run's secret conf entries are hidden in what is shown (the store holds the conf as given).
            session.Io.Secrets.AddSecretsOf(TaskContexts.ConfOf(run.Conf).ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal));
            var tasks = await session.Store.TaskInstancesAsync(run.DagId, run.RunId, ct).ConfigureAwait(false);
            // The handles as the operators recorded them (a batch's or a session's), read through the same store.
            var checkpoints = new StoredCheckpoints(session.Store);
            var rows = new List<TaskRow>();
            foreach (var task in tasks.OrderBy(t => t.StartedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.TaskId, StringComparer.Ordinal))
            {
                var checkpoint = checkpoints.For(task.DagId, task.RunId, task.TaskId, task.TryNumber);
                object? handle = await checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, ct).ConfigureAwait(false)
                    ?? (object?)await checkpoint.LoadAsync<LivySessionHandle>(LivySessionHandle.Kind, ct).ConfigureAwait(false);
                rows.Add(new TaskRow(task, handle));
            }

            if (parse.GetValue(json))
            {
                var attempts = (await session.Store.AttemptsAsync(run.DagId, run.RunId, ct).ConfigureAwait(false)).ToLookup(a => a.TaskId, StringComparer.Ordinal);
                await session.Io.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    run.DagId, run.RunId, RunType = run.RunType.ToString().ToLowerInvariant(), run.LogicalDate, run.DataIntervalStart, run.DataIntervalEnd,
                    State = TaskStates.Snake(run.State.ToString()), run.QueuedAt, run.StartedAt, run.EndedAt,
                    Tasks = rows.Select(r => new
                    {
                        r.Task.TaskId, State = TaskStates.Name(r.Task.State), r.Task.TryNumber, r.Task.StartedAt, r.Task.EndedAt,
                        r.Task.RetryAt, r.Task.Error, r.Task.LogFile, Remote = r.Handle,
                        Attempts = attempts[r.Task.TaskId].Select(a => new
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
                    Markup.Escape(Remote(row.Handle)),
                    Markup.Escape(row.Task.LogFile is null ? "-" : session.Io.Display(row.Task.LogFile)));
            }

            console.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Remote(object? handle) => handle switch
    {
        LivyBatchHandle batch => $"batch {batch.BatchId} app {batch.AppId ?? "?"}" + (batch.Verdict == LivyBatchHandle.Unknown ? ", verdict unknown" : ""),
        LivySessionHandle session => $"session {session.SessionId}, {session.Outputs.Count} statement(s) done",
        _ => "-",
    };

    private sealed record TaskRow(TaskInstance Task, object? Handle);
}
