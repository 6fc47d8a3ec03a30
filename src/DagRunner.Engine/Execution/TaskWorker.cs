using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

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
    private IReadOnlyList<DagDefinition>? _loaded;
    private Dictionary<string, DagDefinition> _dags = new(StringComparer.Ordinal);
    private Dictionary<string, ClaimableDag> _claimable = new(StringComparer.Ordinal);

    /// <summary>Raised when something failed that the worker survives (a busy store): it tries again on its next pass.</summary>
    public event Action<string, Exception>? Failed;

    /// <summary>The attempts this worker runs now.</summary>
    public int RunningCount => _running.Count;

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
                        await board.Tasks.BeatAsync(options.Owner, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                        nextBeat = time.GetUtcNow() + options.ClaimHeartbeat;
                    }

                    await ClaimAsync(observer, cancellationToken, detachToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed?.Invoke("the worker's pass", e);
                }

                await WaitAsync(wake, cancellationToken, detachToken).ConfigureAwait(false);
                await FinishAsync(observer, cancellationToken).ConfigureAwait(false);
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

    private async Task ClaimAsync(DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var free = options.Parallelism - _running.Count;
        if (free < 1)
            return;
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await board.Tasks.ClaimTasksAsync(new TaskClaimRequest
        {
            Owner = options.Owner,
            Now = time.GetUtcNow(),
            Limit = Math.Min(free, board.Options.ClaimBatch),
            Dags = _claimable,
            Pools = pools,
            PoolSlots = options.Pools,
            DefaultPoolSlots = options.DefaultPoolSlots,
        }, cancellationToken).ConfigureAwait(false);
        // One read of each run's tasks per claim: the outputs the attempts see.
        foreach (var group in claimed.GroupBy(c => (c.Task.DagId, c.Task.RunId)))
        {
            var dag = _dags[group.Key.DagId];
            // A run deleted since the claim: its tasks went with it.
            if (await store.FindRunAsync(group.Key.DagId, group.Key.RunId, cancellationToken).ConfigureAwait(false) is not { } run)
                continue;
            var tasks = await store.TaskInstancesAsync(group.Key.DagId, group.Key.RunId, cancellationToken).ConfigureAwait(false);
            var progress = new RunProgress(dag, tasks.ToDictionary(t => t.TaskId, StringComparer.Ordinal));
            foreach (var claim in group)
            {
                var definition = progress.Definition(claim.Task.TaskId)!;
                var attempt = _attempts.RunAsync(dag, definition, run, claim.Task.TryNumber, progress.VisibleOutputs(definition.TaskId), observer, cancellationToken, detachToken);
                _running.Add(attempt, new Claimed(definition, claim.Task with { LogFile = _attempts.LogFile(dag.DagId, run.RunId, claim.Task.TaskId, claim.Task.TryNumber) }));
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
        await stop.CancelAsync().ConfigureAwait(false);
        while (wake.CurrentCount > 0)
            await wake.WaitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Ended attempts are written together, as their holder; a task the store no longer shows held by this worker
    // (it was declared gone and another took over) is left to its new holder.
    private async Task FinishAsync(DagRunObserver observer, CancellationToken cancellationToken)
    {
        var ended = _running.Keys.Where(t => t.IsCompleted).ToList();
        if (ended.Count == 0)
            return;
        var changes = new List<(TaskInstance Task, RunEvent Change)>();
        var attempts = new List<TaskAttempt>();
        var outcomes = new List<TaskOutcome>();
        var retrying = new List<(TaskInstance Task, string? Error)>();
        foreach (var done in ended)
        {
            _running.Remove(done, out var claimed);
            AttemptResult result;
            try
            {
                result = await done.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                continue;
            }

            if (result.Detached)
                continue;
            var (task, change, attempt) = AttemptEnding.Of(claimed!.Definition, claimed.Task, result, result.Error, time.GetUtcNow());
            changes.Add((task, change));
            attempts.Add(attempt);
            if (task.State == TaskState.UpForRetry)
                retrying.Add((task, result.Error));
            else
                outcomes.Add(new TaskOutcome(task.TaskId, task.State, result.Duration, task.TryNumber, task.Error, result.LogFile));
        }

        try
        {
            await board.Tasks.FinishTasksAsync(options.Owner, changes, attempts, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not written: the tasks stay running under this worker, whose driver hands them back if it stops beating.
            Failed?.Invoke("writing outcomes", e);
            return;
        }

        board.OnFinished();
        foreach (var (task, error) in retrying)
            observer.TaskRetrying(task.TaskId, task.TryNumber, error, task.RetryAt!.Value);
        foreach (var outcome in outcomes)
            observer.TaskFinished(outcome);
        cancellationToken.ThrowIfCancellationRequested();
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
            await FinishAsync(observer, CancellationToken.None).ConfigureAwait(false);
            await board.Tasks.ReleaseAllAsync(options.Owner, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunStoreException or ObjectDisposedException)
        {
            // The store is gone: the tasks are handed back when this worker's heartbeat goes stale.
            Failed?.Invoke("letting go of the tasks", e);
        }
    }

    private sealed record Claimed(TaskDefinition Definition, TaskInstance Task);
}
