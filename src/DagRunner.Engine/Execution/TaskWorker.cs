using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>
/// Runs tasks of the shared queue (a server store several processes share): it beats, claims scheduled tasks of
/// the DAGs it has loaded up to its free slots (<see cref="ExecutorOptions.Parallelism"/>; the pools' slots and
/// <c>MaxActiveTasks</c> are counted by the claim, over every process), runs each attempt as the run's own process
/// would (its log, its timeout, its remote handles), and writes the outcomes in batches as their holder. A claimed
/// task whose attempt recorded a remote handle and whose worker stopped is resumed: the same attempt follows the same
/// remote job. With <c>pools</c> it claims only tasks of those pools (a machine that serves chosen pools). Stopping gracefully (the detach token) lets its running attempts go, for another worker to follow.
/// </summary>
public sealed class TaskWorker(
    SharedTaskBoard board,
    IRunStore store,
    ExecutorOptions options,
    TimeProvider time,
    Func<CancellationToken, Task<IReadOnlyList<DagDefinition>>> definitions,
    IServiceProvider? services = null,
    IReadOnlySet<string>? pools = null)
{
    private readonly AttemptRunner _attempts = new(time, options, services, new StoredCheckpoints(store));
    private readonly Dictionary<Task<AttemptResult>, Claimed> _running = [];
    private readonly List<Ended> _ended = [];
    private DateTimeOffset? _lastBeat;
    private IReadOnlyList<DagDefinition>? _loaded;
    private Dictionary<string, DagDefinition> _dags = new(StringComparer.Ordinal);
    private Dictionary<string, ClaimableDag> _claimable = new(StringComparer.Ordinal);
    private Dictionary<string, Dictionary<string, TaskDefinition>> _definitions = new(StringComparer.Ordinal);
    private static readonly IReadOnlyDictionary<string, object?> NoOutputs = new Dictionary<string, object?>();

    /// <summary>Raised when something failed that the worker survives (a busy store): it tries again on its next pass.</summary>
    public event Action<string, Exception>? Failed;

    /// <summary>Claims and runs tasks until <paramref name="detachToken"/> (stop: running attempts are let go, their
    /// remote jobs followed by another worker) or <paramref name="cancellationToken"/> (cancel: attempts cancelled).</summary>
    public async Task RunAsync(DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        board.Options.Validate();
        var wake = new SemaphoreSlim(0);
        void Wake() => wake.Release();
        board.Scheduled += Wake;
        var nextBeat = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested && !detachToken.IsCancellationRequested)
            {
                try
                {
                    if (time.GetUtcNow() >= nextBeat)
                    {
                        nextBeat = time.GetUtcNow() + options.ClaimHeartbeat;
                        await BeatAsync(cancellationToken).ConfigureAwait(false);
                    }

                    Collect();
                    await ExchangeAsync(observer, cancellationToken, detachToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Outcomes not written stay pending for the next pass; the tasks stay held meanwhile.
                    Failed?.Invoke("the worker's pass", e);
                }

                await WaitAsync(wake, cancellationToken, detachToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || detachToken.IsCancellationRequested)
        {
            // Stopping is how the loop ends.
        }
        finally
        {
            board.Scheduled -= Wake;
            await StopAsync(observer).ConfigureAwait(false);
            wake.Dispose();
        }
    }

    // The outcomes of ended attempts and the next claim, in one transaction: a pass of a busy worker costs one
    // commit. A task the store no longer shows held by this worker (declared gone, taken over) is left to its holder.
    private async Task ExchangeAsync(DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var free = options.Parallelism - _running.Count;
        if (free < 1 && _ended.Count == 0)
            return;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var ended = _ended.ToList();
        var result = await board.Tasks.ClaimTasksAsync(new TaskClaimRequest
        {
            Owner = options.Owner,
            Now = time.GetUtcNow(),
            Limit = Math.Max(0, Math.Min(free, board.Options.ClaimBatch)),
            Dags = _claimable,
            Pools = pools,
            PoolSlots = options.Pools,
            DefaultPoolSlots = options.DefaultPoolSlots,
            Outcomes = [.. ended.Select(e => (e.Task, e.Change))],
            Attempts = [.. ended.Select(e => e.Attempt)],
        }, cancellationToken).ConfigureAwait(false);
        _ended.Clear();
        Announce(ended, result.Refused, observer);
        await StartClaimedAsync(result.Claimed, observer, cancellationToken, detachToken).ConfigureAwait(false);
    }

    private async Task StartRunTasksAsync(string dagId, string runId, IReadOnlyList<ClaimedTask> group, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var dag = _dags[dagId];
        // A run deleted since the claim: its tasks went with it.
        if (await store.FindRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false) is not { } run)
            return;
        // The outputs the attempts see, read once per run and claim, and only when a claimed task has upstream tasks.
        var upstream = group.Any(c => _definitions[dagId][c.Task.TaskId].Upstream.Length > 0);
        var outputs = upstream ? await board.Tasks.OutputsAsync(dagId, runId, cancellationToken).ConfigureAwait(false) : [];
        var progress = upstream ? new RunProgress(dag, outputs.ToDictionary(t => t.TaskId, StringComparer.Ordinal)) : null;
        foreach (var claim in group)
        {
            var definition = _definitions[dagId][claim.Task.TaskId];
            // Its own detach: the worker stopping, or the attempt no longer held (see BeatAsync).
            var detach = CancellationTokenSource.CreateLinkedTokenSource(detachToken);
            var attempt = _attempts.RunAsync(dag, definition, run, claim.Task.TryNumber, progress is null ? NoOutputs : progress.VisibleOutputs(definition.TaskId), observer, cancellationToken, detach.Token);
            _running.Add(attempt, new Claimed(definition, claim.Task with { LogFile = _attempts.LogFile(dag.DagId, run.RunId, claim.Task.TaskId, claim.Task.TryNumber) }, detach));
        }
    }

    // The heartbeat, and the fence that goes with it: an attempt the store no longer shows this worker holding (the
    // run's driver handed it to another worker, someone cleared it) stops at once, leaving its remote job to its new
    // holder. A worker that cannot beat for longer than a claim lives stops all its attempts the same way: by then the
    // drivers have handed them back, and two workers must never run one attempt.
    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        IReadOnlySet<string> held;
        try
        {
            held = await board.Tasks.BeatAsync(options.Owner, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _lastBeat = time.GetUtcNow();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (_lastBeat is { } last && time.GetUtcNow() - last > options.ClaimStaleAfter)
            {
                foreach (var claimed in _running.Values)
                    await claimed.Detach.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }

        foreach (var claimed in _running.Values.Where(c => !held.Contains(TaskContext.AttemptKeyOf(c.Task.DagId, c.Task.RunId, c.Task.TaskId, c.Task.TryNumber))))
            await claimed.Detach.CancelAsync().ConfigureAwait(false);
    }

    // Starts what was claimed; a claim whose start fails (the store could not be read for its run) becomes a failed
    // attempt written with the next pass, never a task held and not run.
    private async Task StartClaimedAsync(IReadOnlyList<ClaimedTask> claimed, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        foreach (var group in claimed.GroupBy(c => (c.Task.DagId, c.Task.RunId)))
        {
            try
            {
                await StartRunTasksAsync(group.Key.DagId, group.Key.RunId, [.. group], observer, cancellationToken, detachToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed?.Invoke($"starting tasks of run {group.Key.RunId}", e);
                foreach (var claim in group.Where(c => !_running.Values.Any(r => r.Task.DagId == c.Task.DagId && r.Task.RunId == c.Task.RunId && r.Task.TaskId == c.Task.TaskId)))
                {
                    var failure = new AttemptResult(false, null, options.Secrets.Mask($"The worker could not start the attempt: {e.Message}"), null, TimeSpan.Zero);
                    var (task, change, attempt) = AttemptEnding.Of(_definitions[claim.Task.DagId][claim.Task.TaskId], claim.Task, failure, failure.Error, time.GetUtcNow());
                    _ended.Add(new Ended(task, change, attempt, failure));
                }
            }
        }
    }

    // The claim request is built again only when the loaded DAGs changed.
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = await definitions(cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(loaded, _loaded))
            return;
        _loaded = loaded;
        _dags = loaded.ToDictionary(d => d.DagId, StringComparer.Ordinal);
        _definitions = loaded.ToDictionary(d => d.DagId, d => d.Tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal), StringComparer.Ordinal);
        _claimable = loaded.ToDictionary(
            d => d.DagId,
            d => new ClaimableDag(d.Tasks.ToDictionary(t => t.TaskId, t => t.Policy.Pool, StringComparer.Ordinal), d.MaxActiveTasks),
            StringComparer.Ordinal);
    }

    private async Task WaitAsync(SemaphoreSlim wake, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, detachToken);
        var waits = new List<Task>(_running.Keys) { wake.WaitAsync(stop.Token), Task.Delay(board.Options.PollInterval, time, stop.Token) };
        await Task.WhenAny(waits).ConfigureAwait(false);
        // Attempts ending together are written together: a short window for the others still running.
        if (_running.Keys.Any(t => t.IsCompleted) && _running.Keys.Any(t => !t.IsCompleted) && board.Options.BatchWindow > TimeSpan.Zero)
            await Task.WhenAny(Task.WhenAll(_running.Keys), Task.Delay(board.Options.BatchWindow, time, stop.Token)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        while (wake.CurrentCount > 0)
            await wake.WaitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Ended attempts become outcomes waiting to be written (detached and cancelled ones leave nothing to write).
    private void Collect()
    {
        foreach (var done in _running.Keys.Where(t => t.IsCompleted).ToList())
        {
            _running.Remove(done, out var claimed);
            claimed!.Detach.Dispose();
            if (done.IsCanceled || (done.IsCompletedSuccessfully && done.Result.Detached))
                continue;
            // An attempt that broke the runner itself (its log could not be written) is a failed attempt, not a task
            // held forever.
            var result = done.IsCompletedSuccessfully
                ? done.Result
                : new AttemptResult(false, null, options.Secrets.Mask($"The attempt failed in the runner: {done.Exception!.GetBaseException().Message}"), null, TimeSpan.Zero);
            var (task, change, attempt) = AttemptEnding.Of(claimed!.Definition, claimed.Task, result, result.Error, time.GetUtcNow());
            _ended.Add(new Ended(task, change, attempt, result));
        }
    }

    // Outcomes written: this process's drivers take them as written, and the observer hears of them.
    private void Announce(List<Ended> ended, IReadOnlyList<TaskInstance> refused, DagRunObserver observer)
    {
        if (ended.Count == 0)
            return;
        var written = ended.Where(e => !refused.Any(r => r.DagId == e.Task.DagId && r.RunId == e.Task.RunId && r.TaskId == e.Task.TaskId)).ToList();
        board.OnFinished([.. written.Select(e => e.Task)]);
        foreach (var (task, _, _, result) in written)
        {
            if (task.State == TaskState.UpForRetry)
                observer.TaskRetrying(task.TaskId, task.TryNumber, result.Error, task.RetryAt!.Value);
            else
                observer.TaskFinished(new TaskOutcome(task.TaskId, task.State, result.Duration, task.TryNumber, task.Error, result.LogFile));
        }
    }

    // Attempts end (detached: they return at once), what ended is written, and what still runs is let go.
    private async Task StopAsync(DagRunObserver observer)
    {
        try
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || _running.Keys.Any(t => t.IsFaulted || t.IsCanceled))
        {
            // Cancelled attempts: nothing to write for them.
        }

        try
        {
            Collect();
            var ended = _ended.ToList();
            var refused = await board.Tasks.FinishTasksAsync(options.Owner, [.. ended.Select(e => (e.Task, e.Change))], [.. ended.Select(e => e.Attempt)], CancellationToken.None).ConfigureAwait(false);
            _ended.Clear();
            Announce(ended, refused, observer);
            await board.Tasks.ReleaseAllAsync(options.Owner, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunStoreException or ObjectDisposedException)
        {
            // The store is gone: the tasks are handed back when this worker's heartbeat goes stale.
            Failed?.Invoke("letting go of the tasks", e);
        }
    }

    private sealed record Claimed(TaskDefinition Definition, TaskInstance Task, CancellationTokenSource Detach);

    private sealed record Ended(TaskInstance Task, RunEvent Change, TaskAttempt Attempt, AttemptResult Result);
}
