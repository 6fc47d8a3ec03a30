using System.CommandLine;
using DagRunner.Cli.Output;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags pause DAG</c> and <c>dags unpause DAG</c>: whether the scheduler creates and starts its runs.</summary>
internal static class DagsPauseCommand
{
    public static Command Create(CliContext context, bool pause)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var command = new Command(pause ? "pause" : "unpause", pause
            ? "Pause a DAG: the scheduler creates and starts no new runs of it"
            : "Unpause a DAG: the scheduler runs it again") { dagId };
        command.SetAction((parse, ct) => context.RunShowingDagsAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            await session.Catalog.SetPausedAsync(dag, pause, ct).ConfigureAwait(false);
            await session.Io.Out.WriteLineAsync($"DAG '{dag.DagId}' is {(pause ? "paused" : "unpaused")}.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
