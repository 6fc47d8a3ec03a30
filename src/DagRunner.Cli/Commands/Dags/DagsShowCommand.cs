using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags show DAG</c>: the task graph as a tree.</summary>
internal static class DagsShowCommand
{
    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var command = new Command("show", "Show a DAG's task graph as a tree") { dagId };
        command.SetAction((parse, ct) => context.RunShowingDagsAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
            {
                return exit;
            }

            session.Io.Console.Write(BuildTree(dag, session.Io));
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static Tree BuildTree(DagDefinition dag, CliIo io)
    {
        var schedule = dag.Schedule ?? "manual";
        var tree = new Tree($"[bold]{Markup.Escape(dag.DagId)}[/] [grey]({Markup.Escape(schedule)}, {Markup.Escape(io.Display(dag.File))})[/]");
        var byId = dag.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var shown = new HashSet<string>(StringComparer.Ordinal);

        // A task with several upstream tasks appears under each; its subtree is drawn once only.
        void AddChildren(IHasTreeNodes parent, TaskDefinition task)
        {
            foreach (var childId in task.Downstream)
            {
                var child = byId[childId];
                if (!shown.Add(childId))
                {
                    parent.AddNode($"{Markup.Escape(childId)} [grey](see above)[/]");
                    continue;
                }

                AddChildren(parent.AddNode(Label(child)), child);
            }
        }

        foreach (var root in dag.Tasks.Where(t => t.Upstream.IsEmpty))
        {
            shown.Add(root.TaskId);
            AddChildren(tree.AddNode(Label(root)), root);
        }

        return tree;
    }

    private static string Label(TaskDefinition task)
    {
        var rule = task.Policy.TriggerRule == TriggerRule.AllSuccess ? string.Empty : $", {task.Policy.TriggerRule}";
        return $"[green]{Markup.Escape(task.TaskId)}[/] [grey]({Markup.Escape(task.Operator)}{rule})[/]";
    }
}
