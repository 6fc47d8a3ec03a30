using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Dags;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.Scheduling;

/// <summary>
/// A worker as a hosted service (<c>dagrunner worker</c>): it claims and runs tasks of the store several processes
/// share, of the DAGs it loads and the pools it serves, and schedules nothing. It stops in two steps like the
/// scheduler: the host's stop lets its running attempts go (another worker follows their remote jobs); the stop's
/// token, once cancelled, cancels them.
/// </summary>
public sealed class WorkerService(SharedWork shared, DagCatalog catalog, IReadOnlySet<string>? pools) : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _cancel = new();
    private IReadOnlyList<DagDefinition> _first = [];

    /// <summary>Raised when the worker is about to start, with the number of DAGs loaded.</summary>
    public event Action<int>? Started;

    /// <summary>Raised when something failed that the worker survives.</summary>
    public event Action<string, Exception>? Failed;

    /// <summary>Told about every task this worker runs. Default: one that does nothing.</summary>
    public DagRunObserver Observer { get; set; } = new();

    /// <summary>The DAGs loaded before the start.</summary>
    public IReadOnlyList<DagDefinition> Definitions => _first;

    /// <summary>Whether running work was cancelled rather than let go.</summary>
    public bool Cancelled => _cancel.IsCancellationRequested;

    /// <summary>Loads the DAGs; refuses a store that is not shared.</summary>
    /// <exception cref="InvalidOperationException">The store is the SQLite file of one process.</exception>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!shared.Shared)
            throw new InvalidOperationException("A worker runs tasks of a store several processes share: give --store postgres://... (or DAGRUNNER_STORE, or \"store\" in dagrunner.json). Over the SQLite file, the scheduler runs its tasks itself.");
        _first = await catalog.CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Started?.Invoke(_first.Count);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = shared.Worker(pools);
        worker.Failed += (what, error) => Failed?.Invoke(what, error);
        await worker.RunAsync(Observer, _cancel.Token, stoppingToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets running attempts go; when <paramref name="cancellationToken"/> is cancelled, cancels them.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(_cancel.Cancel))
            await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Dispose()
    {
        _cancel.Dispose();
        base.Dispose();
    }
}
