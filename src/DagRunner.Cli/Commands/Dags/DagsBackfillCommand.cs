using System.CommandLine;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.LocalLivy;
using Spectre.Console;

namespace DagRunner.Cli.Commands.Dags;

/// <summary><c>dags backfill DAG --from D --to D</c>: runs every interval of the schedule that starts in the range,
/// in this process, at most <c>MaxActiveRuns</c> at a time.</summary>
internal static class DagsBackfillCommand
{
    // How often a run another process holds is looked at again: about a heartbeat.
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context)
    {
        var dagId = new Argument<string>("DAG") { Description = "The DAG id" };
        var from = RunArguments.DateOption("--from", "The first logical date of the range");
        var to = RunArguments.DateOption("--to", "The last logical date of the range");
        from.Required = true;
        to.Required = true;
        var command = new Command("backfill", "Run every interval of a DAG's schedule that starts between --from and --to") { dagId, from, to };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var (dag, exit) = await DagLookupText.FindAsync(session, parse.GetValue(dagId)!, ct).ConfigureAwait(false);
            if (dag is null)
                return exit;
            var (first, last) = (parse.GetValue(from)!.Value, parse.GetValue(to)!.Value);
            if (last < first)
            {
                await session.Io.Error.WriteLineAsync("--to is before --from.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var intervals = ScheduleIntervals.Between(dag, first, last).ToList();
            await using var embedded = await EmbeddedLivyStarter.StartIfNeededAsync(session, EmbeddedLivy.Needed(dag), ct).ConfigureAwait(false);
            session.Io.Console.MarkupLine(Markup.Escape($"Backfilling {dag.DagId}: {intervals.Count} interval(s), at most {dag.MaxActiveRuns} at a time."));
            using var slots = new SemaphoreSlim(Math.Max(1, dag.MaxActiveRuns));
            var observer = new ConsoleRunObserver(session.Io);
            var results = await Task.WhenAll(intervals.Select(async interval =>
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var run = await session.Store.CreateRunAsync(new DagRun
                    {
                        DagId = dag.DagId,
                        RunId = DagRun.IdFor(RunType.Backfill, interval.Start),
                        RunType = RunType.Backfill,
                        LogicalDate = interval.Start,
                        DataIntervalStart = interval.Start,
                        DataIntervalEnd = interval.End,
                        QueuedAt = session.Time.GetUtcNow(),
                    }, [.. dag.Tasks.Select(t => t.TaskId)], ct).ConfigureAwait(false);
                    // A range backfilled again continues what did not finish and leaves finished runs alone.
                    return run.State is DagRunState.Success or DagRunState.Failed ? run : await RunOnceAsync(session, dag, run, observer, ct).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Run", "State");
            foreach (var run in results.OrderBy(r => r.LogicalDate))
                table.AddRow(Markup.Escape(run.RunId), run.State == DagRunState.Success ? "[green]success[/]" : "[red]failed[/]");
            session.Io.Console.Write(table);
            return results.All(r => r.State == DagRunState.Success) ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    // The date's run (the store keeps one per logical date: it may be a scheduled or manual run) is run
    // here unless another process runs it now (a second backfill, the scheduler); then this one waits for
    // it and reports what the store shows, taking the run over if that process dies.
    private static async Task<DagRun> RunOnceAsync(CliSession session, DagDefinition dag, DagRun run, ConsoleRunObserver observer, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            try
            {
                return await session.Executor.RunAsync(dag, run, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (RunClaimedException taken)
            {
                if (!told)
                    await session.Io.Error.WriteLineAsync($"{taken.Message} Waiting for it to end; it is not run twice.").ConfigureAwait(false);
                told = true;
                await Task.Delay(WaitStep, session.Time, cancellationToken).ConfigureAwait(false);
                run = await session.Store.FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false) ?? run;
                if (run.State is DagRunState.Success or DagRunState.Failed)
                    return run;
            }
        }
    }
}
