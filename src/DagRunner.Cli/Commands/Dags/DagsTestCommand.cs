using System.CommandLine;
using System.Globalization;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags test DAG [--date D] [--conf JSON]</c>: runs the whole DAG once, now, in process.</summary>
internal static class DagsTestCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var date = RunArguments.DateOption();
        var conf = RunArguments.ConfOption();
        var command = new Command("test", "Run a whole DAG once, now, without the scheduler (exit 0 when every task succeeded)") { dagId, date, conf };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
            {
                return exit;
            }

            var io = session.Io;
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, dag, ct).ConfigureAwait(false);

            var request = RunArguments.Request(parse, date, conf, session.Time);
            io.Console.MarkupLine($"Testing [bold]{Markup.Escape(dag.DagId)}[/] ({dag.Tasks.Length} tasks), run {Markup.Escape(request.RunId)}");
            // A live table in a terminal; plain lines, each log line included, when piped.
            DagTestResult result;
            if (io.IsTerminal)
            {
                var live = new LiveRunDisplay([.. dag.Tasks.Select(t => t.TaskId)]);
                result = await live.ShowAsync(io.Console, () => session.Launcher.TestAsync(dag, request, live, ct)).ConfigureAwait(false);
            }
            else
            {
                result = await session.Launcher.TestAsync(dag, request, new ConsoleRunObserver(io), ct).ConfigureAwait(false);
            }

            if (result.ContinuedFrom is { } killed)
                io.Console.MarkupLine(Markup.Escape($"Continued run {result.RunId}, left running by {RunOwner.Describe(killed)}, which is gone: its remote jobs were followed, not submitted again. Test again for a fresh run."));
            io.Console.Write(Summary(result, io));
            io.Console.MarkupLine(result.Succeeded ? "[green]Run succeeded.[/]" : "[red]Run failed.[/]");
            return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static Table Summary(DagTestResult result, CliIo io)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Task", "State", "Duration", "Attempts", "Log");
        foreach (var task in result.Tasks)
        {
            var (color, word) = ConsoleRunObserver.Describe(task.State);
            table.AddRow(
                Markup.Escape(task.TaskId),
                $"[{color}]{word}[/]",
                task.Attempts > 0 ? task.Duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture) : "-",
                task.Attempts.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(task.LogFile is null ? "-" : io.Display(task.LogFile)));
        }

        return table;
    }
}
