using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Hosting.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Scheduling;

/// <summary><c>worker</c>: runs tasks of the store several processes share (PostgreSQL), of the DAGs in its DAGs
/// folder and the pools it serves, until Ctrl+C; schedules nothing (the schedulers do). A line per task event.</summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        // --queues: Airflow's word for the same choice (DagRunner routes work by a task's Pool; there is no separate queue).
        var pools = new Option<string[]>("--pools", "--queues")
        {
            Description = "Serve only tasks of these pools (comma-separated or repeated; default every pool): a machine that runs chosen work. --queues is the same option",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("worker", "Run tasks of the shared store (--store postgres://...) until Ctrl+C, beside the schedulers: any number of workers on any machines") { pools };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var io = session.Io;
            var worker = session.Services.GetRequiredService<WorkerService>();
            session.Catalog.Reloaded += loaded =>
            {
                foreach (var error in loaded.Errors)
                    io.Error.WriteLine(ImportErrorText.Line(error, io));
            };
            worker.Observer = new ConsoleRunObserver(io);
            worker.Failed += (what, error) => io.Error.WriteLine($"error: {what} failed: {error.Message}");
            var served = Served(parse.GetValue(pools));
            worker.Started += count => io.Console.MarkupLine(Markup.Escape(
                $"Worker started: {count} DAG(s) from {io.Display(session.Settings.DagsFolder)}, {(served is null ? "every pool" : "pools " + string.Join(", ", served))}. Ctrl+C stops it."));
            try
            {
                await session.StartAsync(ct).ConfigureAwait(false);
            }
            catch (InvalidOperationException e) when (!session.Settings.SharesStore)
            {
                await io.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // The first Ctrl+C lets running attempts go to another worker; a second one cancels them.
            using (context.Signals.Stop.Register(() => _ = Task.Run(() => session.StopAsync(context.Signals.Cancel), CancellationToken.None)))
            {
                try
                {
                    await (worker.ExecuteTask ?? Task.CompletedTask).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.Signals.Cancel.IsCancellationRequested)
                {
                    // The second Ctrl+C: the attempts were cancelled.
                }
            }

            await session.StopAsync(context.Signals.Cancel).ConfigureAwait(false);
            io.Console.MarkupLine(worker.Cancelled
                ? "Worker stopped; running work was cancelled."
                : "Worker stopped; running work is left to the other workers.");
            return ExitCodes.Success;
        }, hosted: services => services.AddWorker(Served(parse.GetValue(pools)))));
        return command;
    }

    private static HashSet<string>? Served(string[]? pools)
    {
        var names = (pools ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        return names.Count == 0 ? null : names;
    }
}
