using System.CommandLine;
using System.Text.Json;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.LocalLivy;
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
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            var id = parse.GetValue(taskId)!;
            if (dag.FindTask(id) is not { } task)
            {
                await session.Io.Error.WriteLineAsync($"DAG '{dag.DagId}' has no task '{id}'. Its tasks: {string.Join(", ", dag.Tasks.Select(t => t.TaskId))}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // The task alone, as if it had no upstream: its own run (test__<date>), so real runs are left alone.
            var alone = dag with { Tasks = [task with { Upstream = [], Downstream = [] }] };
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, EmbeddedLivy.Needed(alone), ct).ConfigureAwait(false);
            var request = RunArguments.Request(parse, date, conf, session.Time) with { RunIdPrefix = "test" };
            session.Io.Console.MarkupLine($"Testing task [bold]{Markup.Escape(task.TaskId)}[/] of {Markup.Escape(dag.DagId)}, run {Markup.Escape(request.RunId)}");
            var result = await session.TestRunner.RunAsync(alone, request, new ConsoleRunObserver(session.Io), ct).ConfigureAwait(false);
            var outcome = result.Tasks.Single();
            var (color, word) = ConsoleRunObserver.Describe(outcome.State);
            session.Io.Console.MarkupLine($"Task {Markup.Escape(task.TaskId)}: [{color}]{word}[/] after {outcome.Attempts} attempt(s); log {Markup.Escape(outcome.LogFile is null ? "-" : session.Io.Display(outcome.LogFile))}");
            return outcome.State == TaskState.Success ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
