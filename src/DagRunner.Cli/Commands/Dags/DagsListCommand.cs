using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.Dags;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags list [--json]</c>: the DAGs found, with schedule, tasks and next run, and the import errors.</summary>
internal static class DagsListCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Write JSON instead of a table" };
        var command = new Command("list", "List the DAGs found, with schedule, tasks, next run and import errors") { json };
        command.SetAction((parse, ct) => context.RunShowingDagsAsync(parse, async session =>
        {
            var loaded = await session.Catalog.LoadAsync(ct).ConfigureAwait(false);
            var now = session.Time.GetUtcNow();
            if (parse.GetValue(json))
            {
                await session.Io.Out.WriteLineAsync(ToJson(loaded, session.Io, now)).ConfigureAwait(false);
            }
            else
            {
                Render(loaded, session, now);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Render(LoadedDags loaded, CliSession session, DateTimeOffset now)
    {
        var io = session.Io;
        if (loaded.Definitions.IsEmpty)
        {
            io.Console.MarkupLine($"[yellow]No DAGs found[/] in {Markup.Escape(io.Display(session.Settings.DagsFolder))} ({loaded.FileCount} DAG file(s)).");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("DAG", "File", "Schedule", "Next run (UTC)", "Tasks", "Tags");
            foreach (var dag in loaded.Definitions)
            {
                table.AddRow(
                    Markup.Escape(dag.DagId),
                    Markup.Escape($"{io.Display(dag.LocationFile)}:{dag.Line}"),
                    Markup.Escape(dag.Schedule ?? "manual"),
                    Markup.Escape(FormatNextRun(NextRun.For(dag, now))),
                    dag.Tasks.Length.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", dag.Tags)));
            }

            io.Console.Write(table);
        }

        if (!loaded.Errors.IsEmpty)
        {
            io.Console.MarkupLine($"[red]Import errors ({loaded.Errors.Length})[/]; see [bold]dagrunner dags errors[/]:");
            foreach (var error in loaded.Errors)
            {
                io.Console.MarkupLine("  " + Markup.Escape(ImportErrorText.Line(error, io)));
            }
        }
    }

    private static string FormatNextRun(DateTimeOffset? next) =>
        next?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";

    private static string ToJson(LoadedDags loaded, CliIo io, DateTimeOffset now)
    {
        var document = new
        {
            dags = loaded.Definitions.Select(dag => new
            {
                dagId = dag.DagId,
                file = io.Display(dag.File),
                line = dag.Line,
                sourceFile = dag.SourceFile is null ? null : io.Display(dag.SourceFile),
                description = dag.Description,
                schedule = dag.Schedule,
                nextRun = NextRun.For(dag, now),
                startDate = dag.StartDate,
                catchup = dag.Catchup,
                tags = dag.Tags,
                tasks = dag.Tasks.Select(t => t.TaskId),
            }),
            importErrors = loaded.Errors.Select(e => new
            {
                file = io.Display(e.File),
                sourceFile = e.SourceFile is null ? null : io.Display(e.SourceFile),
                line = e.Line,
                column = e.Column,
                code = e.Code,
                message = e.Message,
            }),
        };
        return JsonSerializer.Serialize(document, DefinitionJson.Indented);
    }
}
