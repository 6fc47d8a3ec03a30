using System.CommandLine;
using System.Globalization;
using DagRunner.Cli.Output;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Tasks;

/// <summary><c>tasks list DAG</c>: the tasks of a DAG in dependency order.</summary>
internal static class TasksListCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var plain = new Option<bool>("--ids") { Description = "Only the task ids, one per line" };
        var command = new Command("list", "List the tasks of a DAG in dependency order") { dagId, plain };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
            {
                return exit;
            }

            if (parse.GetValue(plain))
            {
                foreach (var task in dag.Tasks)
                {
                    await session.Io.Out.WriteLineAsync(task.TaskId).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("Task", "Operator", "Upstream", "Trigger rule", "Retries", "Timeout", "Pool", "Line");
            foreach (var task in dag.Tasks)
            {
                table.AddRow(
                    Markup.Escape(task.TaskId),
                    Markup.Escape(task.Operator),
                    Markup.Escape(string.Join(", ", task.Upstream)),
                    task.Policy.TriggerRule.ToString(),
                    task.Policy.Retries.ToString(CultureInfo.InvariantCulture),
                    task.Policy.ExecutionTimeout?.ToString() ?? "-",
                    Markup.Escape(task.Policy.Pool),
                    task.Line.ToString(CultureInfo.InvariantCulture));
            }

            session.Io.Console.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
