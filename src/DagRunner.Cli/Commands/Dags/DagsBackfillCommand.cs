using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags backfill DAG --from D --to D</c>: runs every interval of the schedule that starts in the range,
/// in this process, at most <c>MaxActiveRuns</c> at a time.</summary>
internal static class DagsBackfillCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var from = RunArguments.DateOption("--from", "The first logical date of the range");
        var to = RunArguments.DateOption("--to", "The last logical date of the range");
        from.Required = true;
        to.Required = true;
        var command = new Command("backfill", "Run every interval of a DAG's schedule that starts between --from and --to") { dagId, from, to };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            var (first, last) = (parse.GetValue(from)!.Value, parse.GetValue(to)!.Value);
            if (last < first)
            {
                await session.Io.Error.WriteLineAsync("--to is before --from.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var intervals = RunLauncher.BackfillIntervals(dag, first, last);
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, dag, ct).ConfigureAwait(false);
            session.Io.Console.MarkupLine(Markup.Escape($"Backfilling {dag.DagId}: {intervals.Count} interval(s), at most {dag.MaxActiveRuns} at a time."));
            var results = await session.Launcher.BackfillAsync(
                dag,
                intervals,
                new ConsoleRunObserver(session.Io),
                taken => session.Io.Error.WriteLineAsync($"{taken.Message} Waiting for it to end; it is not run twice."),
                ct).ConfigureAwait(false);

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Run", "State");
            foreach (var run in results.OrderBy(r => r.LogicalDate))
                table.AddRow(Markup.Escape(run.RunId), run.State == DagRunState.Success ? "[green]success[/]" : "[red]failed[/]");
            session.Io.Console.Write(table);
            return results.All(r => r.State == DagRunState.Success) ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
