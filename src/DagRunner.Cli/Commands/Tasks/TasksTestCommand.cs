using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Runs;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Tasks;

/// <summary><c>tasks test DAG TASK [--date D] [--conf JSON]</c>: runs one task now, ignoring its dependencies.</summary>
internal static class TasksTestCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var taskId = new Argument<string>("TASK") { Description = "The task id" };
        var date = RunArguments.DateOption();
        var conf = RunArguments.ConfOption();
        var command = new Command("test", "Run one task now, ignoring its dependencies (exit 0 when it succeeded)") { dagId, taskId, date, conf };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (found, exit) = await DagLookupText.FindTaskAsync(session, parse.GetValue(dagId)!, parse.GetValue(taskId)!, ct).ConfigureAwait(false);
            if (found is null)
                return exit;
            var (dag, task) = (found.Dag, found.Task!);

            // The task alone, as if it had no upstream: its own run (test__<date>), so real runs are left alone.
            var test = RunLauncher.PlanTaskTest(dag, task, RunArguments.Request(parse, date, conf, session.Time));
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, test.Dag, ct).ConfigureAwait(false);
            session.Io.Console.MarkupLine($"Testing task [bold]{Markup.Escape(task.TaskId)}[/] of {Markup.Escape(dag.DagId)}, run {Markup.Escape(test.Request.RunId)}");
            var outcome = await session.Launcher.TestTaskAsync(test, new ConsoleRunObserver(session.Io), ct).ConfigureAwait(false);
            var (color, word) = ConsoleRunObserver.Describe(outcome.State);
            session.Io.Console.MarkupLine($"Task {Markup.Escape(task.TaskId)}: [{color}]{word}[/] after {outcome.Attempts} attempt(s); log {Markup.Escape(outcome.LogFile is null ? "-" : session.Io.Display(outcome.LogFile))}");
            return outcome.State == TaskState.Success ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
