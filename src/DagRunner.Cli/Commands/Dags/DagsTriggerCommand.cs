using System.CommandLine;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Runs;
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
            if (await session.Store.FindRunAsync(dag.DagId, request.RunId, ct).ConfigureAwait(false) is { } existing)
            {
                await session.Io.Error.WriteLineAsync($"DAG '{dag.DagId}' already has run {existing.RunId} ({existing.State.ToString().ToLowerInvariant()}).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var run = await session.Store.CreateRunAsync(request.Run(dag.DagId, session.Time.GetUtcNow(), RunType.Manual), [.. dag.Tasks.Select(t => t.TaskId)], ct).ConfigureAwait(false);
            if (run.RunId != request.RunId)
            {
                // One run per logical date: a scheduled or backfill run already has it.
                await session.Io.Error.WriteLineAsync($"DAG '{dag.DagId}' already has run {run.RunId} ({run.State.ToString().ToLowerInvariant()}) for that logical date.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            session.Io.Console.MarkupLine($"Queued run [bold]{Markup.Escape(run.RunId)}[/] of {Markup.Escape(dag.DagId)}; the scheduler starts it.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
