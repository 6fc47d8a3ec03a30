using System.CommandLine;
using DagRunner.Cli.Commands.Dags;
using DagRunner.Cli.Commands.Dev;
using DagRunner.Cli.Commands.LocalLivy;
using DagRunner.Cli.Commands.Scheduling;
using DagRunner.Cli.Commands.Tasks;
using DagRunner.Cli.Commands.Web;

namespace DagRunner.Cli;

/// <summary>The <c>dagrunner</c> command line.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var io = CliIo.FromProcess();
        using var signals = ShutdownSignals.FromProcess(io.Error);
        return await RunAsync(args, io, signals).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        using var signals = ShutdownSignals.From(cancellationToken);
        var masked = io.WithMaskedWriters();
        try
        {
            return await RunAsync(args, masked, signals).ConfigureAwait(false);
        }
        finally
        {
            // A last line without its newline is held back by the masking writers.
            await masked.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await masked.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(string[] args, CliIo io, ShutdownSignals signals)
    {
        var cancellationToken = signals.Stop;
        var context = new CliContext(io, new GlobalOptions(), signals);
        var root = BuildRoot(context);
        var parse = root.Parse(args);
        // Signals are ours (ShutdownSignals): a scheduler must outlive the first Ctrl+C to stop cleanly.
        var invocation = new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await io.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await io.Error.WriteLineAsync("Run 'dagrunner --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: System.CommandLine cancels the action's token; what was running has been
            // stopped (a shell task's process tree is killed), so this is a plain failed run.
            await io.Error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("DagRunner: Airflow-style DAGs in C# for Apache Spark, run through Livy and verified in YARN and Spark.");
        foreach (var option in context.Options.All)
        {
            root.Add(option);
        }

        var dags = new Command("dags", "List, inspect, test, trigger, backfill and mark DAGs and their runs")
        {
            DagsListCommand.Create(context),
            DagsErrorsCommand.Create(context),
            DagsShowCommand.Create(context),
            DagsTestCommand.Create(context),
            DagsTriggerCommand.Create(context),
            DagsBackfillCommand.Create(context),
            DagsPauseCommand.Create(context, pause: true),
            DagsPauseCommand.Create(context, pause: false),
            DagsStateCommand.Create(context),
            DagsMarkCommand.Create(context),
        };
        var tasks = new Command("tasks", "List, render, test, clear and mark the tasks of a DAG")
        {
            TasksListCommand.Create(context),
            TasksRenderCommand.Create(context),
            TasksTestCommand.Create(context),
            TasksClearCommand.Create(context),
            TasksMarkCommand.Create(context),
        };
        root.Add(dags);
        root.Add(tasks);
        root.Add(DevCommand.Create(context));
        root.Add(SchedulerCommand.Create(context, standalone: false));
        root.Add(SchedulerCommand.Create(context, standalone: true));
        root.Add(WorkerCommand.Create(context));
        root.Add(LocalLivyCommand.Create(context));
        root.Add(WebCommand.Create(context));
        root.Add(Commands.Loading.CompileServerCommand.Create(context));
        return root;
    }
}
