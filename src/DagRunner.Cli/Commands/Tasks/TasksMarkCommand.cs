using System.CommandLine;
using DagRunner.Cli.Output;

namespace DagRunner.Cli.Commands.Tasks;

/// <summary><c>tasks mark DAG TASK --state success|failed [--date D]</c>: sets a task instance's state by hand
/// (its event says so). Refused while a live runner holds the run.</summary>
internal static class TasksMarkCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var taskId = new Argument<string>("TASK") { Description = "The task id" };
        var state = RunEditText.StateOption("the task instance");
        var date = RunEditText.DateOption();
        var command = new Command("mark", "Mark a task instance of a run (the latest, or the run of --date) success or failed") { dagId, taskId, state, date };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            if (await RunEditText.FindRunAsync(session, dag, parse.GetValue(date), ct).ConfigureAwait(false) is not { } run)
                return ExitCodes.Usage;
            var edit = await session.Actions.MarkTaskAsync(dag, run.RunId, parse.GetValue(taskId)!, parse.GetValue(state) == "success", ct).ConfigureAwait(false);
            return await RunEditText.WriteAsync(session, edit).ConfigureAwait(false);
        }));
        return command;
    }
}
