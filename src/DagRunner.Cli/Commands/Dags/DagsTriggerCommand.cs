using System.CommandLine;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Hosting.Runs;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags trigger DAG [--date D] [--conf JSON]</c>: queues a manual run for the scheduler.</summary>
internal static class DagsTriggerCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var date = RunArguments.DateOption();
        var conf = RunArguments.ConfOption();
        var command = new Command("trigger", "Queue a manual run of a DAG for the scheduler") { dagId, date, conf };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            var request = RunArguments.Request(parse, date, conf, session.Time);
            var (outcome, run) = await session.Launcher.TriggerAsync(dag, request, ct).ConfigureAwait(false);
            if (outcome != TriggerOutcome.Queued)
            {
                var why = outcome == TriggerOutcome.DateTaken ? " for that logical date" : string.Empty;
                await session.Io.Error.WriteLineAsync($"DAG '{dag.DagId}' already has run {run.RunId} ({run.State.ToString().ToLowerInvariant()}){why}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            session.Io.Console.MarkupLine($"Queued run [bold]{Markup.Escape(run.RunId)}[/] of {Markup.Escape(dag.DagId)}; the scheduler starts it.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
