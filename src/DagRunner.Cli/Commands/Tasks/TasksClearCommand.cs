using System.CommandLine;
using DagRunner.Cli.Output;

namespace DagRunner.Cli.Commands.Tasks;

/// <summary><c>tasks clear DAG TASK... [--date D] [--downstream]</c>: runs task instances again (Airflow's clear):
/// state none, try numbers kept, the run queued. Refused while a live runner holds the run.</summary>
internal static class TasksClearCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var taskIds = new Argument<string[]>("TASK") { Description = "The task ids", Arity = ArgumentArity.OneOrMore };
        var date = RunEditText.DateOption();
        var downstream = new Option<bool>("--downstream") { Description = "Clear every task downstream of them too" };
        var command = new Command("clear", "Clear task instances of a run (the latest, or the run of --date) so they run again") { dagId, taskIds, date, downstream };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            if (await RunEditText.FindRunAsync(session, dag, parse.GetValue(date), ct).ConfigureAwait(false) is not { } run)
                return ExitCodes.Usage;
            var edit = await session.Actions.ClearAsync(dag, run.RunId, parse.GetValue(taskIds)!, parse.GetValue(downstream), ct).ConfigureAwait(false);
            return await RunEditText.WriteAsync(session, edit).ConfigureAwait(false);
        }));
        return command;
    }
}
