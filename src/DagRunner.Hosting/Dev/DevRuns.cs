using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.LocalLivy;
using DagRunner.Operators.Livy.Session;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Hosting.Dev;

/// <summary>
/// <c>dev --run DAG</c>: runs the DAG (as <c>dags test</c> does, on the embedded LocalLivy when no
/// Livy is configured) at the start and after every save that changed it, cancelling a run still
/// going; <see cref="RunFreshAsync"/> runs it again whatever changed (with warm sessions, in fresh ones).
/// </summary>
public sealed class DevRuns : IAsyncDisposable
{
    private readonly DagTestRunner _runner;
    private readonly TimeProvider _time;
    private readonly EmbeddedLivyLauncher _livy;
    private readonly DevRunEvents _events;
    private readonly string _dagId;
    private readonly CancellationToken _stop;
    private readonly WarmSessions? _warm;

    // Everything below is shared by the save loop and the key thread: read and written under the gate.
    private readonly Lock _gate = new();
    private LoadedDags _loaded;
    private DagDefinition? _ran;
    private CancellationTokenSource? _current;
    private Task _running = Task.CompletedTask;

    // The embedded Livy is started by the first run that needs it (the DAG may have no Livy task, or not load, at first).
    private bool _livyStarted;

    /// <summary>Runs <paramref name="dagId"/> with the services of <paramref name="services"/>; with
    /// <paramref name="warm"/>, each session task's Livy session is kept between runs. Nothing runs before
    /// <see cref="StartAsync"/>; <paramref name="stop"/> cancels every run.</summary>
    public DevRuns(IServiceProvider services, string dagId, LoadedDags loaded, bool warm, DevRunEvents events, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(services);
        _runner = services.GetRequiredService<DagTestRunner>();
        _time = services.GetRequiredService<TimeProvider>();
        _livy = services.GetRequiredService<EmbeddedLivyLauncher>();
        if (warm)
        {
            _warm = services.GetRequiredService<WarmSessions>();
            _warm.Enabled = true;
        }

        _dagId = dagId;
        _loaded = loaded;
        _events = events;
        _stop = stop;
    }

    /// <summary>The first run (the run goes on in the background).</summary>
    public Task StartAsync() => RunAgainAsync(_loaded, always: true);

    /// <summary>After a save: runs the DAG again when the save changed it (its file, a file it
    /// <c>#load</c>s or a template); a save of another DAG's file leaves the run alone.</summary>
    public Task RestartAsync(LoadedDags loaded) => RunAgainAsync(loaded, always: false);

    /// <summary>The DAG again, whatever changed; with warm sessions, in new sessions (a clean slate).</summary>
    public async Task RunFreshAsync()
    {
        if (_warm is not null)
            await _warm.CloseAllAsync().ConfigureAwait(false);
        LoadedDags loaded;
        lock (_gate)
            loaded = _loaded;
        await RunAgainAsync(loaded, always: true).ConfigureAwait(false);
    }

    private async Task RunAgainAsync(LoadedDags loaded, bool always)
    {
        DagDefinition? dag;
        Task previous = Task.CompletedTask;
        CancellationTokenSource? next = null;
        lock (_gate)
        {
            _loaded = loaded;
            dag = loaded.Find(_dagId).Dag;
            // The loader returns the very same definition for a DAG whose sources did not change.
            if (dag is not null && !always && ReferenceEquals(dag, _ran))
                return;
            if (dag is not null)
            {
                _ran = dag;
                _current?.Cancel();
                previous = _running;
                next = CancellationTokenSource.CreateLinkedTokenSource(_stop);
                _current = next;
            }
        }

        if (dag is null || next is null)
        {
            _events.NotLoaded(_dagId);
            return;
        }

        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            // A newer call (a save, or r) came while the previous run ended: that one runs, this one does not.
            if (!ReferenceEquals(_current, next))
            {
                next.Dispose();
                return;
            }

            _running = RunAsync(dag, next);
        }
    }

    private async Task RunAsync(DagDefinition dag, CancellationTokenSource cancel)
    {
        try
        {
            if (!_livyStarted && _livy.IsNeededFor(dag))
            {
                await _livy.StartAsync(cancel.Token).ConfigureAwait(false);
                _livyStarted = true;
            }

            var request = new DagTestRequest { LogicalDate = _time.GetUtcNow() };
            _events.Starting(dag.DagId, request.RunId);
            var result = await _runner.RunAsync(dag, request, _events.Observer(), cancel.Token).ConfigureAwait(false);
            _events.Ended(dag.DagId, [.. result.Tasks.Where(t => t.State is not (TaskState.Success or TaskState.Skipped)).Select(t => t.TaskId)]);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            _events.Cancelled(dag.DagId);
        }
        catch (Exception e)
        {
            // Whatever broke this run (the store, the embedded Livy) is reported; watching goes on.
            _events.Broke(dag.DagId, e);
        }
    }

    /// <summary>Cancels the run still going and waits for it; deletes the warm sessions, then stops the
    /// embedded Livy if a run started it.</summary>
    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _current?.Cancel();
            running = _running;
        }

        try
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Before the embedded Livy stops: the kept sessions are deleted, not left to time out.
            if (_warm is not null)
                _events.WarmSessionsDeleted(await _warm.CloseAllAsync().ConfigureAwait(false));
        }
        finally
        {
            if (_livyStarted)
                await _livy.StopAsync().ConfigureAwait(false);
        }
    }
}
