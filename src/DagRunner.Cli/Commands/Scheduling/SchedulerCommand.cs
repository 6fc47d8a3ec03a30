using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.LocalLivy;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Scheduling;

/// <summary><c>scheduler</c> and <c>standalone</c>: the scheduler loop until Ctrl+C; <c>standalone</c> also
/// starts the embedded LocalLivy whenever no Livy is configured.</summary>
internal static class SchedulerCommand
{
    public static Command Create(CliContext context, bool standalone)
    {
        var interval = LoopSecondsOption();
        var command = new Command(
            standalone ? "standalone" : "scheduler",
            standalone
                ? "Run the scheduler with the embedded LocalLivy (when no Livy is configured), until Ctrl+C"
                : "Run the scheduler loop until Ctrl+C: create due runs, start queued ones, continue those a stopped scheduler left") { interval };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var io = session.Io;
            // One scheduler per home: two would each take over the other's running runs.
            using var lease = SchedulerLock.TryTake(session.Settings.Home);
            if (lease is null)
            {
                await io.Error.WriteLineAsync($"error: another scheduler is running on {io.Display(session.Settings.Home)} (it holds {SchedulerLock.FileName}).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var dags = session.Catalog;
            dags.Reloaded += loaded => { foreach (var error in loaded.Errors) io.Error.WriteLine(ImportErrorText.Line(error, io)); };
            var first = await dags.CurrentAsync(ct).ConfigureAwait(false);
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, standalone || first.Any(EmbeddedLivy.Needed), ct).ConfigureAwait(false);
            var options = new SchedulerOptions { LoopInterval = TimeSpan.FromSeconds(parse.GetValue(interval) ?? 5) };
            // In a terminal, a live table of the runs; piped, a line per task event and per run end.
            var live = io.IsTerminal ? new LiveSchedulerDisplay(session.Store) : null;
            using var scheduler = new DagScheduler(session.Store, session.Executor, session.Time, options, dags.CurrentAsync, live is null ? new ConsoleRunObserver(io) : new DagRunObserver());
            if (live is null)
                scheduler.RunEnded += run => io.Console.MarkupLine(Markup.Escape($"Run {run.RunId} of {run.DagId} ended: {TaskStates.Snake(run.State.ToString())}."));
            else
                scheduler.RunEnded += live.RunEnded;
            scheduler.Failed += (what, error) => io.Error.WriteLine($"error: {what} failed: {error.Message}");
            io.Console.MarkupLine(Markup.Escape($"Scheduler started: {first.Count} DAG(s) from {io.Display(session.Settings.DagsFolder)}, state in {io.Display(session.Settings.Home)}. Ctrl+C stops it."));
            try
            {
                // The first Ctrl+C stops scheduling and leaves remote jobs running for the next start;
                // a second one cancels running work too.
                var loop = scheduler.RunAsync(context.Signals.Cancel, context.Signals.Stop);
                if (live is not null)
                    await live.ShowAsync(io.Console, loop, context.Signals.Cancel).ConfigureAwait(false);
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Signals.Cancel.IsCancellationRequested)
            {
                // The second Ctrl+C: the runs' tasks were cancelled.
            }

            io.Console.MarkupLine(context.Signals.Cancel.IsCancellationRequested
                ? "Scheduler stopped; running work was cancelled."
                : "Scheduler stopped; running work is left for the next start.");
            return ExitCodes.Success;
        }));
        return command;
    }

    // A negative pause crashed the loop mid-run and zero spun both cores: refused before anything starts.
    private static Option<double?> LoopSecondsOption()
    {
        var (min, max) = (SchedulerOptions.MinLoopInterval.TotalSeconds, SchedulerOptions.MaxLoopInterval.TotalSeconds);
        var option = new Option<double?>("--loop-seconds") { Description = $"Seconds between two passes over the DAGs, {min} to {max} (default 5)" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds >= min && seconds <= max))
                result.AddError($"--loop-seconds: {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; give {min} to {max} seconds.");
        });
        return option;
    }
}
