using System.Globalization;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>
/// The scheduler in a terminal: a live table of the active runs (tasks done, running, failed, of all)
/// and the last runs that ended, read from the run read model, so it shows what every run of the home is
/// doing, whoever runs it. The store is asked for when the table is first drawn (after the scheduler
/// holds its lock).
/// </summary>
internal sealed class LiveSchedulerDisplay(Func<RunReadModel> runs)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);
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
        IReadOnlyList<ActiveRunView> active;
        try
        {
            active = await runs().ActiveRunsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return table;
        }

        foreach (var view in active)
        {
            table.AddRow(
                Markup.Escape(view.Run.DagId),
                Markup.Escape(view.Run.RunId),
                view.Run.State == DagRunState.Running ? "[blue]running[/]" : "[grey]queued[/]",
                Text(view.Done),
                Text(view.Running),
                Text(view.Failed),
                Text(view.Total));
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

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
