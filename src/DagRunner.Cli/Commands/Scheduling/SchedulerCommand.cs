using System.CommandLine;
using DagRunner.Cli.Commands.Web;
using DagRunner.Cli.Output;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.Scheduling;
using DagRunner.Web;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Scheduling;

/// <summary><c>scheduler</c> and <c>standalone</c>: the host with its <see cref="SchedulerService"/> until Ctrl+C;
/// <c>standalone</c> also starts the embedded LocalLivy whenever no Livy is configured, <c>scheduler</c> when a
/// DAG needs it. This command shows what the scheduler does and turns Ctrl+C into the host's two-step stop.</summary>
internal static class SchedulerCommand
{
    public static Command Create(CliContext context, bool standalone)
    {
        var interval = LoopSecondsOption();
        var webPort = WebCommand.PortOption("--web-port", "Port of the web UI (default web.port in dagrunner.json, else 8080; 0 picks a free one)");
        var webHost = new Option<string?>("--web-host") { Description = "Address of the web UI (default web.host, else 127.0.0.1); an address other than loopback needs a user in web.users" };
        var command = new Command(
            standalone ? "standalone" : "scheduler",
            standalone
                ? "Run the scheduler, the web UI, and the embedded LocalLivy (when no Livy is configured), until Ctrl+C"
                : "Run the scheduler loop until Ctrl+C: create due runs, start queued ones, continue those a stopped scheduler left") { interval };
        if (standalone)
        {
            command.Add(webPort);
            command.Add(webHost);
        }

        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var io = session.Io;
            var scheduler = session.Services.GetRequiredService<SchedulerService>();
            session.Catalog.Reloaded += loaded =>
            {
                foreach (var error in loaded.Errors)
                    io.Error.WriteLine(ImportErrorText.Line(error, io));
            };
            // In a terminal, a live table of the runs; piped, a line per task event and per run end.
            var live = io.IsTerminal ? new LiveSchedulerDisplay(() => session.Runs) : null;
            scheduler.Observer = live is null ? new ConsoleRunObserver(io) : new DagRunObserver();
            if (live is null)
                scheduler.RunEnded += run => io.Console.MarkupLine(Markup.Escape($"Run {run.RunId} of {run.DagId} ended: {TaskStates.Snake(run.State.ToString())}."));
            else
                scheduler.RunEnded += live.RunEnded;
            scheduler.Failed += (what, error) => io.Error.WriteLine($"error: {what} failed: {error.Message}");
            scheduler.Started += count => io.Console.MarkupLine(Markup.Escape(
                $"Scheduler started: {count} DAG(s) from {io.Display(session.Settings.DagsFolder)}, state in {io.Display(session.Settings.Home)}. Ctrl+C stops it."));
            try
            {
                await session.StartAsync(ct).ConfigureAwait(false);
            }
            catch (SchedulerBusyException e)
            {
                await io.Error.WriteLineAsync($"error: another scheduler is running on {io.Display(e.Home)} (it holds {SchedulerLock.FileName}).").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (WebUiException e)
            {
                await io.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (standalone)
                io.Console.MarkupLine(Markup.Escape($"Web UI at {session.Services.GetRequiredService<WebUiService>().Url}"));

            // The first Ctrl+C stops scheduling and leaves remote jobs running for the next start;
            // a second one cancels running work too.
            // Off the signal's thread: the stop may end the loop inline, and this command continues from there.
            using (context.Signals.Stop.Register(() => _ = Task.Run(() => session.StopAsync(context.Signals.Cancel), CancellationToken.None)))
            {
                var loop = scheduler.ExecuteTask ?? Task.CompletedTask;
                try
                {
                    if (live is not null)
                        await live.ShowAsync(io.Console, loop, context.Signals.Cancel).ConfigureAwait(false);
                    await loop.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.Signals.Cancel.IsCancellationRequested)
                {
                    // The second Ctrl+C: the runs' tasks were cancelled.
                }
            }

            await session.StopAsync(context.Signals.Cancel).ConfigureAwait(false);
            io.Console.MarkupLine(scheduler.Cancelled
                ? "Scheduler stopped; running work was cancelled."
                : session.Settings.SharesStore
                    ? "Scheduler stopped; running work is left to the other schedulers and workers, or the next start."
                    : "Scheduler stopped; running work is left for the next start.");
            return ExitCodes.Success;
        }, hosted: services =>
        {
            // The web UI first: a port in use is refused before the scheduler takes its lock and starts work.
            if (standalone)
                services.AddWebUi(settings => WebCommand.Options(settings, parse.GetValue(webHost), parse.GetValue(webPort), "--web-port"));
            services.AddScheduling(new SchedulerOptions { LoopInterval = TimeSpan.FromSeconds(parse.GetValue(interval) ?? 5) }, embeddedLivy: standalone);
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
