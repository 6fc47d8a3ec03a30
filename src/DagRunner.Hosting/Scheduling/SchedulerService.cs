using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Dags;
using Microsoft.Extensions.Hosting;

namespace DagRunner.Hosting.Scheduling;

/// <summary>
/// The scheduler as a hosted service: <see cref="DagScheduler"/> over the DAG catalog, one per home
/// (<see cref="SchedulerLock"/>). Before any service starts it takes the lock and loads the DAGs (so the
/// embedded LocalLivy can tell whether they need it); its loop starts with it and stops in two steps:
/// the host's stop ends scheduling and leaves running work (remote jobs) for the next start; the stop's
/// token, once cancelled (a second Ctrl+C), cancels running work too. A loop that fails (the run store
/// was lost) ends <see cref="BackgroundService.ExecuteTask"/> with its error.
/// </summary>
/// <remarks>The run store and the executor are asked for only once the lock is held: a home that cannot be
/// written is reported as the lock's, before the store is created in it. Over a store several processes share
/// (PostgreSQL) there is no lock: any number of schedulers run, each driving the runs it claims and running, with
/// its <see cref="TaskWorker"/>, the tasks it claims of any run.</remarks>
public sealed class SchedulerService(
    Func<IRunStore> store,
    Func<DagRunExecutor> executor,
    SharedWork shared,
    TimeProvider time,
    DagCatalog catalog,
    DagRunnerSettings settings,
    SchedulerOptions options) : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _cancel = new();
    private FileStream? _lock;
    private IReadOnlyList<DagDefinition> _first = [];

    /// <summary>Raised when the loop is about to start, with the number of DAGs loaded.</summary>
    public event Action<int>? Started;

    /// <summary>Raised when a run this scheduler executed ends, with its final record.</summary>
    public event Action<DagRun>? RunEnded;

    /// <summary>Raised when something failed that the loop survives (see <see cref="DagScheduler.Failed"/>).</summary>
    public event Action<string, Exception>? Failed;

    /// <summary>Told about every task of the runs this scheduler executes. Default: one that does nothing.</summary>
    public DagRunObserver Observer { get; set; } = new();

    /// <summary>The DAGs loaded before the start.</summary>
    public IReadOnlyList<DagDefinition> Definitions => _first;

    /// <summary>Takes the home's lock and loads the DAGs.</summary>
    /// <exception cref="SchedulerBusyException">Another scheduler runs on this home.</exception>
    /// <exception cref="RunStoreException">The home cannot be written.</exception>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        if (!shared.Shared)
            _lock = SchedulerLock.TryTake(settings.Home) ?? throw new SchedulerBusyException(settings.Home);
        _first = await catalog.CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Here, not in the loop: after the services registered before it (the embedded LocalLivy), before the first pass.
        Started?.Invoke(_first.Count);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var scheduler = new DagScheduler(store(), shared.Shared ? shared.Driver() : executor(), time, options, catalog.CurrentAsync, Observer);
        scheduler.RunEnded += run => RunEnded?.Invoke(run);
        scheduler.Failed += (what, error) => Failed?.Invoke(what, error);
        // The host's stop detaches the runs (they stay running for the next start); the cancel cancels their tasks.
        var loop = scheduler.RunAsync(_cancel.Token, stoppingToken);
        if (!shared.Shared)
        {
            await loop.ConfigureAwait(false);
            return;
        }

        var worker = shared.Worker();
        worker.Failed += (what, error) => Failed?.Invoke(what, error);
        // A loop that ended on its own (the store was lost) stops the worker too, and its error ends the service.
        using var stopWorker = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var working = worker.RunAsync(Observer, _cancel.Token, stopWorker.Token);
        await Task.WhenAny(loop, working).ConfigureAwait(false);
        await stopWorker.CancelAsync().ConfigureAwait(false);
        await working.ConfigureAwait(false);
        await loop.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops scheduling and waits for the loop to let go of its runs; when
    /// <paramref name="cancellationToken"/> is cancelled, meanwhile or before, their tasks are cancelled.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(_cancel.Cancel))
        {
            // Not the host's token: the loop always ends (cancelled work ends quickly), and the lock is held until it has.
            await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _lock?.Dispose();
        _lock = null;
        return Task.CompletedTask;
    }

    /// <summary>Whether running work was cancelled (the stop's token fired) rather than left for the next start.</summary>
    public bool Cancelled => _cancel.IsCancellationRequested;

    /// <inheritdoc />
    public override void Dispose()
    {
        _lock?.Dispose();
        _cancel.Dispose();
        base.Dispose();
    }
}
