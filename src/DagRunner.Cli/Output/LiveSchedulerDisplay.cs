using System.Globalization;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>
/// The scheduler in a terminal: a live table of the active runs (tasks done, running, failed, of all)
/// and the last runs that ended, read from the run store, so it shows what every run of the home is
/// doing, whoever runs it. The store is asked for when the table is first drawn (after the scheduler
/// holds its lock).
/// </summary>
internal sealed class LiveSchedulerDisplay(Func<IRunStore> store)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
    private static readonly DagRunState[] Active = [DagRunState.Queued, DagRunState.Running];
    private readonly Queue<DagRun> _ended = new();

    /// <summary>Raised by the scheduler: kept for the table's last lines.</summary>
    public void RunEnded(DagRun run)
    {
        lock (_ended)
        {
            _ended.Enqueue(run);
            while (_ended.Count > 8)
                _ended.Dequeue();
        }
    }

    /// <summary>Shows the table until <paramref name="work"/> ends.</summary>
    public async Task ShowAsync(IAnsiConsole console, Task work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(work);
        await console.Live(new Table()).AutoClear(false).StartAsync(async live =>
        {
            // Redrawn on the wall clock: a display, not a timing the scheduler depends on.
            while (!work.IsCompleted)
            {
                live.UpdateTarget(await TableAsync(cancellationToken).ConfigureAwait(false));
                await Task.WhenAny(work, Task.Delay(Refresh, TimeProvider.System, CancellationToken.None)).ConfigureAwait(false);
            }

            live.UpdateTarget(await TableAsync(CancellationToken.None).ConfigureAwait(false));
        }).ConfigureAwait(false);
    }

    private async Task<Table> TableAsync(CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("DAG", "Run", "State", "Done", "Running", "Failed", "Tasks");
        IReadOnlyList<DagRun> active;
        try
        {
            active = await store().ListRunsInStateAsync(Active, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return table;
        }

        foreach (var run in active)
        {
            var tasks = await store().TaskInstancesAsync(run.DagId, run.RunId, CancellationToken.None).ConfigureAwait(false);
            table.AddRow(
                Markup.Escape(run.DagId),
                Markup.Escape(run.RunId),
                run.State == DagRunState.Running ? "[blue]running[/]" : "[grey]queued[/]",
                Count(tasks, TaskState.Success, TaskState.Skipped),
                Count(tasks, TaskState.Running, TaskState.Queued, TaskState.UpForRetry),
                Count(tasks, TaskState.Failed, TaskState.UpstreamFailed),
                tasks.Count.ToString(CultureInfo.InvariantCulture));
        }

        lock (_ended)
        {
            foreach (var run in _ended.Reverse())
            {
                table.AddRow(Markup.Escape(run.DagId), Markup.Escape(run.RunId),
                    run.State == DagRunState.Success ? "[green]success[/]" : "[red]failed[/]", "", "", "", "");
            }
        }

        return table;
    }

    private static string Count(IReadOnlyList<TaskInstance> tasks, params TaskState[] states) =>
        tasks.Count(t => states.Contains(t.State)).ToString(CultureInfo.InvariantCulture);
}
