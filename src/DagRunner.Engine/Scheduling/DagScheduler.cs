using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Scheduling;

/// <summary>
/// The scheduler loop: on each pass it takes the current DAG definitions, creates the runs their
/// schedules make due (catchup, start and end dates, <c>MaxActiveRuns</c>, paused DAGs left alone), and
/// starts queued runs (manual triggers included) within <c>MaxActiveRuns</c>. Runs the store shows
/// running when the scheduler starts (it was killed) are continued first. All time comes from the
/// injected clock, so tests drive months of schedule with a fake one.
/// </summary>
public sealed class DagScheduler(
    IRunStore store,
    DagRunExecutor executor,
    TimeProvider time,
    SchedulerOptions options,
    Func<CancellationToken, Task<IReadOnlyList<DagDefinition>>> definitions,
    DagRunObserver? observer = null) : IDisposable
{
    private static readonly DagRunState[] Active = [DagRunState.Queued, DagRunState.Running];
    private readonly Dictionary<(string DagId, string RunId), Task> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly DagRunObserver _observer = observer ?? new DagRunObserver();
    private CancellationToken _detach;

    /// <summary>Raised when a run this scheduler executed ends, with its final record.</summary>
    public event Action<DagRun>? RunEnded;

    /// <summary>Raised when something failed that the loop survives: a DAG's pass (the DAG is tried
    /// again next pass), or a run's executor (the run is marked failed rather than retried forever).</summary>
    public event Action<string, Exception>? Failed;

    /// <summary>The runs this scheduler is executing now.</summary>
    public int RunningCount
    {
        get
        {
            lock (_running)
                return _running.Count;
        }
    }

    /// <summary>Runs passes until <paramref name="detachToken"/> (stop: runs are left running for the next
    /// start) or <paramref name="cancellationToken"/> (cancel: their tasks are cancelled) fires, then waits
    /// for the runs it started to stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken detachToken = default)
    {
        options.Validate();
        // A lost store also detaches the runs: nothing they wrote now would be kept.
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(detachToken);
        _detach = lost.Token;
        try
        {
            while (!cancellationToken.IsCancellationRequested && !lost.IsCancellationRequested)
            {
                await store.CheckAsync(cancellationToken).ConfigureAwait(false);
                await TickAsync(cancellationToken).ConfigureAwait(false);
                using var pause = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token);
                await Task.WhenAny(Task.Delay(options.LoopInterval, time, pause.Token), _wake.WaitAsync(pause.Token)).ConfigureAwait(false);
                await pause.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || lost.IsCancellationRequested)
        {
            // Stopping is how the loop ends, even in the middle of a pass.
        }
        catch (RunStoreException)
        {
            // The store was deleted under the loop: the runs stop starting tasks, and the error ends the scheduler.
            await lost.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await IdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One pass: create the due runs, start what may start.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<DagDefinition> dags;
        IReadOnlySet<string> paused;
        try
        {
            dags = await definitions(cancellationToken).ConfigureAwait(false);
            paused = await store.PausedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed?.Invoke("the pass", e);
            return;
        }

        foreach (var dag in dags)
        {
            try
            {
                var runs = await store.ListRunsAsync(dag.DagId, null, cancellationToken).ConfigureAwait(false);
                if (!paused.Contains(dag.DagId))
                    runs = await CreateDueRunsAsync(dag, runs, cancellationToken).ConfigureAwait(false);
                StartRuns(dag, runs, paused.Contains(dag.DagId), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One DAG's trouble (a busy database, a bad definition) must not stop the others.
                Failed?.Invoke($"DAG {dag.DagId}", e);
            }
        }
    }

    /// <summary>Waits until every run this scheduler started has ended.</summary>
    public async Task IdleAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_running)
                running = [.. _running.Values];
            if (running.Length == 0)
                return;
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<DagRun>> CreateDueRunsAsync(DagDefinition dag, IReadOnlyList<DagRun> runs, CancellationToken cancellationToken)
    {
        var active = runs.Count(r => Active.Contains(r.State));
        var lastEnd = runs.Where(r => r.RunType == RunType.Scheduled).Select(r => (DateTimeOffset?)r.DataIntervalEnd).Max();
        var created = new List<DagRun>();
        // One run per logical date: a date a backfill or a manual run already has is not run again.
        var dated = runs.Where(r => r.RunType != RunType.Test).Select(r => r.LogicalDate).ToHashSet();
        foreach (var interval in ScheduleIntervals.Due(dag, lastEnd, time.GetUtcNow()))
        {
            if (active >= dag.MaxActiveRuns)
                break;
            if (dated.Contains(interval.Start))
                continue;
            var stored = await IntervalRuns.CreateAsync(store, dag, interval, RunType.Scheduled, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            created.Add(stored);
            // Another process's run of the date (a backfill created it meanwhile) is not this scheduler's to count.
            if (stored.RunId == DagRun.IdFor(RunType.Scheduled, interval.Start))
                active++;
        }

        return created.Count == 0 ? runs : [.. runs, .. created];
    }

    private void StartRuns(DagDefinition dag, IReadOnlyList<DagRun> runs, bool paused, CancellationToken cancellationToken)
    {
        // Running runs first (a restarted scheduler continues them, paused or not), then the oldest queued.
        // Backfill and test runs belong to the process that made them.
        var ours = runs.Where(r => r.RunType is RunType.Scheduled or RunType.Manual).ToList();
        var candidates = ours.Where(r => r.State == DagRunState.Running)
            .Concat(paused ? [] : ours.Where(r => r.State == DagRunState.Queued).OrderBy(r => r.LogicalDate).ThenBy(r => r.QueuedAt));
        // Runs this scheduler started count even while the store still shows them queued.
        int running;
        lock (_running)
            running = runs.Count(r => r.State == DagRunState.Running || _running.ContainsKey((r.DagId, r.RunId)));
        foreach (var run in candidates)
        {
            lock (_running)
            {
                if (_running.ContainsKey((run.DagId, run.RunId)))
                    continue;
            }

            if (run.State == DagRunState.Queued)
            {
                if (running >= dag.MaxActiveRuns)
                    break;
                running++;
            }

            Start(dag, run, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _wake.Dispose();

    private async Task FailRunAsync(DagRun run, Exception error)
    {
        var now = time.GetUtcNow();
        try
        {
            await store.UpdateRunAsync(run with { State = DagRunState.Failed, EndedAt = now }, new RunEvent
            {
                DagId = run.DagId, RunId = run.RunId, At = now, From = TaskStates.Snake(run.State.ToString()), To = "failed", Message = "the executor failed: " + error.Message,
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed?.Invoke($"marking run {run.RunId} failed", e);
        }
    }

    private void Start(DagDefinition dag, DagRun run, CancellationToken cancellationToken)
    {
        var key = (run.DagId, run.RunId);
        lock (_running)
        {
            _running[key] = Task.Run(async () =>
            {
                var wake = true;
                try
                {
                    var final = await executor.RunAsync(dag, run, _observer, cancellationToken, _detach).ConfigureAwait(false);
                    if (final.State is DagRunState.Success or DagRunState.Failed)
                        RunEnded?.Invoke(final);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The scheduler is stopping: the run stays running in the store and is continued on the next start.
                }
                catch (RunClaimedException)
                {
                    // Another runner (a backfill, a `dags test`) executes it: left to it, looked at again next pass
                    // (and taken over if that runner dies). No wake: an immediate pass would only find it taken again.
                    wake = false;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A run that breaks its executor is failed, not started again on every pass.
                    Failed?.Invoke($"run {run.RunId} of {run.DagId}", e);
                    await FailRunAsync(run, e).ConfigureAwait(false);
                }
                finally
                {
                    lock (_running)
                        _running.Remove(key);
                    if (wake)
                        _wake.Release();
                }
            }, CancellationToken.None);
        }
    }
}
