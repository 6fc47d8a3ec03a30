using System.CommandLine;
using DagRunner.Cli.Output;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags mark DAG --state success|failed [--date D]</c>: sets a run's state by hand, as Airflow does
/// (success finishes every unfinished task; failed fails the running and queued ones and skips those not
/// started). Refused while a live runner holds the run.</summary>
internal static class DagsMarkCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var state = RunEditText.StateOption("the run");
        var date = RunEditText.DateOption();
        var command = new Command("mark", "Mark a run (the latest, or the run of --date) success or failed") { dagId, state, date };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            if (await RunEditText.FindRunAsync(session, dag, parse.GetValue(date), ct).ConfigureAwait(false) is not { } run)
                return ExitCodes.Usage;
            var edit = await session.Actions.MarkRunAsync(dag, run.RunId, parse.GetValue(state) == "success", ct).ConfigureAwait(false);
            return await RunEditText.WriteAsync(session, edit).ConfigureAwait(false);
        }));
        return command;
    }
}
