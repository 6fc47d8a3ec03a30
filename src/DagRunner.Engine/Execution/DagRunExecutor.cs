using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Engine.Execution;
using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>
/// Runs one DAG run to its end: decides tasks by their trigger rules, starts those whose slots are
/// free (the run's <c>MaxActiveTasks</c>, the process's parallelism, the task's pool) in parallel,
/// retries failures after their delay, and writes every change to the run store before acting on it.
/// A run the store shows half done (the runner was killed) continues where it stopped: an attempt
/// with a recorded remote handle is resumed (the same attempt follows the same remote job), one
/// without is counted as failed and retried by its policy. Stopping gracefully (the detach token)
/// starts nothing new and leaves running attempts, and their remote jobs, to the next runner.
/// </summary>
/// <remarks>With a <see cref="SharedTaskBoard"/> (a server store several processes share) the executor is the run's
/// driver only: it decides the run's tasks and marks them scheduled, and the workers of every process claim and run
/// them (see DagRunExecutor.Shared.cs).</remarks>
public sealed partial class DagRunExecutor(IRunStore store, ExecutionSlots slots, ExecutorOptions options, TimeProvider time, IServiceProvider? services = null, SharedTaskBoard? board = null)
{
    private readonly AttemptRunner _attempts = new(time, options, services, new StoredCheckpoints(store));

    /// <summary>Runs <paramref name="run"/> of <paramref name="dag"/> until every task is final, and returns the run's final
    /// record; when <paramref name="detachToken"/> stops it first, returns the run still running. The run is
    /// claimed in the store first and held (heartbeat) until this returns, so no other runner executes it
    /// meanwhile; a run that another runner finished before the claim is returned as it is, not run again.</summary>
    /// <exception cref="RunClaimedException">Another runner holds the run, or took it over from this one
    /// (this one was stale); the run is left to it.</exception>
    public async Task<DagRun> RunAsync(DagDefinition dag, DagRun run, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken = default)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(observer);
        var claim = await ClaimAsync(run, cancellationToken).ConfigureAwait(false);
        if (!claim.Held)
            throw new RunClaimedException(run, claim.Holder, claim.HeartbeatAt);
        await using var keeper = new RunClaimKeeper(store, run, options, time);
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(detachToken, keeper.Lost);
        var current = await store.FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false) ?? run;
        if (current.State is DagRunState.Success or DagRunState.Failed)
            return current;
        var result = await RunHeldAsync(dag, current, observer, cancellationToken, detach.Token).ConfigureAwait(false);
        // Taken over meanwhile (this runner was stale): it stopped starting tasks and left the rest to the new holder.
        if (keeper.Lost.IsCancellationRequested && result.State is not (DagRunState.Success or DagRunState.Failed))
            throw new RunClaimedException(run, holder: null, heartbeatAt: null);
        return result;
    }

    /// <summary>Claims <paramref name="run"/> for this executor: held when free, already this executor's, stale,
    /// or held by a process on this machine that is gone (killed). A takeover is written to the run's events.</summary>
    public async Task<RunClaim> ClaimAsync(DagRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = time.GetUtcNow();
        var claim = await store.ClaimRunAsync(run.DagId, run.RunId, options.Owner, now, now - options.ClaimStaleAfter, null, cancellationToken).ConfigureAwait(false);
        if (!claim.Held && claim.Holder is { } holder && RunOwner.IsGone(holder))
            claim = await store.ClaimRunAsync(run.DagId, run.RunId, options.Owner, now, now - options.ClaimStaleAfter, holder, cancellationToken).ConfigureAwait(false);
        return claim;
    }

    /// <summary>Lets a run claimed with <see cref="ClaimAsync"/> go without running it.</summary>
    public Task ReleaseAsync(DagRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return store.ReleaseClaimAsync(run.DagId, run.RunId, options.Owner, cancellationToken);
    }

    private async Task<DagRun> RunHeldAsync(DagDefinition dag, DagRun run, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var stored = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
        // Tasks added to the DAG file since the run was created join it (Airflow's verify_integrity).
        var added = dag.Tasks.Select(t => t.TaskId).Except(stored.Select(t => t.TaskId), StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            await store.AddTaskInstancesAsync(run.DagId, run.RunId, added, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            stored = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
        }

        var state = new RunProgress(dag, stored.ToDictionary(t => t.TaskId, StringComparer.Ordinal));
        if (board is not null)
            return await DriveSharedAsync(dag, run, state, observer, cancellationToken, detachToken).ConfigureAwait(false);
        if (run.State == DagRunState.Queued)
            run = await MoveRunAsync(run, DagRunState.Running, "started", cancellationToken).ConfigureAwait(false);
        var resume = await RecoverAsync(dag, state, observer, cancellationToken).ConfigureAwait(false);

        // Not disposed: a slot freed by another run, or a late stop signal, may still release it
        // after this run ended (it holds no wait handle, so nothing leaks).
#pragma warning disable CA2000 // see above
        var wake = new SemaphoreSlim(0);
#pragma warning restore CA2000
        void Freed() => wake.Release();
        slots.Freed += Freed;
        var detaching = detachToken.Register(Freed);
        var running = new Dictionary<Task<(string TaskId, AttemptResult? Result)>, ExecutionSlots.Lease>();
        try
        {
            while (true)
            {
                Decide(dag, state, observer);
                if (!detachToken.IsCancellationRequested)
                    await StartAsync(dag, run, state, resume, running, observer, cancellationToken, detachToken).ConfigureAwait(false);
                await FlushAsync(state, cancellationToken).ConfigureAwait(false);
                if (running.Count == 0 && (state.AllFinal || detachToken.IsCancellationRequested))
                    break;
                await WaitAsync(state, running, wake, cancellationToken).ConfigureAwait(false);
                var finished = new List<(TaskDefinition Definition, AttemptResult Result)>();
                foreach (var done in running.Keys.Where(t => t.IsCompleted).ToList())
                {
                    running.Remove(done, out var lease);
                    lease?.Dispose();
                    var (taskId, result) = await done.ConfigureAwait(false);
                    finished.Add((state.Definition(taskId)!, result!));
                }

                FinishAttempts(state, finished, observer);
            }
        }
        finally
        {
            slots.Freed -= Freed;
            await detaching.DisposeAsync().ConfigureAwait(false);
            foreach (var lease in running.Values)
                lease.Dispose();
        }

        await FlushAsync(state, CancellationToken.None).ConfigureAwait(false);
        return await EndAsync(dag, run, state, cancellationToken).ConfigureAwait(false);
    }

    // A run whose tasks are all final ends as its leaves did; one that is not (detached) is returned still running.
    private async Task<DagRun> EndAsync(DagDefinition dag, DagRun run, RunProgress state, CancellationToken cancellationToken)
    {
        if (!state.AllFinal)
            return run;
        var failed = dag.Tasks.Where(t => state.IsLeaf(t.TaskId))
            .Any(t => state.Tasks[t.TaskId].State is TaskState.Failed or TaskState.UpstreamFailed);
        return await MoveRunAsync(run, failed ? DagRunState.Failed : DagRunState.Success, null, cancellationToken).ConfigureAwait(false);
    }

    // Attempts the store shows as queued or running were cut off by the runner stopping.
    private async Task<HashSet<string>> RecoverAsync(DagDefinition dag, RunProgress state, DagRunObserver observer, CancellationToken cancellationToken)
    {
        var resume = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in state.Tasks.Values.ToList())
        {
            if (state.Definition(task.TaskId) is null)
            {
                if (!TaskMachine.IsFinal(task.State))
                    Apply(state, task, TaskState.Removed, "the task is no longer in the DAG");
                continue;
            }

            if (task.State == TaskState.Queued)
            {
                Apply(state, task, TaskState.Scheduled, "the runner stopped before the attempt started");
            }
            else if (task.State == TaskState.Running)
            {
                if (await store.HasHandleAsync(TaskContext.AttemptKeyOf(task.DagId, task.RunId, task.TaskId, task.TryNumber), cancellationToken).ConfigureAwait(false))
                    resume.Add(task.TaskId);
                else
                    FailAttempt(state.Definition(task.TaskId)!, state, task, "the runner stopped during this attempt", observer);
            }
        }

        await FlushAsync(state, cancellationToken).ConfigureAwait(false);
        return resume;
    }

    // Tasks whose upstream tasks are all final are decided by their trigger rule; retries that are due
    // are scheduled. Only tasks whose upstream changed are looked at, and the moves are written together.
    private void Decide(DagDefinition dag, RunProgress state, DagRunObserver observer)
    {
        var now = time.GetUtcNow();
        var moves = new List<(TaskInstance Task, TaskState To, string? Message)>();
        foreach (var taskId in state.TakeDueRetries(now))
            moves.Add((state.Tasks[taskId], TaskState.Scheduled, "retry due"));
        foreach (var index in state.TakeToDecide())
        {
            var definition = dag.Tasks[index];
            var task = state.Tasks[definition.TaskId];
            if (task.State != TaskState.None)
                continue;
            var upstream = definition.Upstream.Select(id => state.Tasks[id].State).ToList();
            if (upstream.Any(s => !TaskMachine.IsFinal(s)))
                continue;
            var decision = TriggerRules.Evaluate(definition.Policy.TriggerRule, upstream);
            var to = decision switch
            {
                TriggerDecision.Run => TaskState.Scheduled,
                TriggerDecision.UpstreamFailed => TaskState.UpstreamFailed,
                _ => TaskState.Skipped,
            };
            moves.Add((task, to, decision == TriggerDecision.Run ? null : $"trigger rule {definition.Policy.TriggerRule}"));
        }

        foreach (var moved in Apply(state, [.. moves.Select(m => (m.Task, m.To, m.Message, (Func<TaskInstance, TaskInstance>?)null))]))
        {
            if (moved.State is TaskState.Skipped or TaskState.UpstreamFailed)
                observer.TaskFinished(new TaskOutcome(moved.TaskId, moved.State, TimeSpan.Zero, 0, null, null));
        }
    }

    private async Task StartAsync(
        DagDefinition dag, DagRun run, RunProgress state, HashSet<string> resume,
        Dictionary<Task<(string TaskId, AttemptResult? Result)>, ExecutionSlots.Lease> running, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var starting = new List<(TaskDefinition Definition, int TryNumber, ExecutionSlots.Lease Lease)>();
        var moves = new List<(TaskInstance, TaskState, string?, Func<TaskInstance, TaskInstance>?)>();
        var now = time.GetUtcNow();
        foreach (var taskId in resume.ToList())
        {
            if (running.Count + starting.Count >= Math.Max(1, dag.MaxActiveTasks))
                break;
            var definition = state.Definition(taskId)!;
            if (slots.TryTake(definition.Policy.Pool) is not { } lease)
                continue;
            resume.Remove(taskId);
            var task = state.Tasks[taskId];
            moves.Add((task, TaskState.Running, "resumed by a restarted runner: following the recorded remote job", null));
            starting.Add((definition, task.TryNumber, lease));
        }

        foreach (var index in state.Scheduled.ToList())
        {
            if (running.Count + starting.Count >= Math.Max(1, dag.MaxActiveTasks))
                break;
            var definition = dag.Tasks[index];
            if (slots.TryTake(definition.Policy.Pool) is not { } lease)
                continue;
            var task = state.Tasks[definition.TaskId];
            var tryNumber = task.TryNumber + 1;
            var logFile = _attempts.LogFile(run.DagId, run.RunId, task.TaskId, tryNumber);
            Func<TaskInstance, TaskInstance> attempt = t => t with { TryNumber = tryNumber, StartedAt = now, EndedAt = null, RetryAt = null, Error = null };
            // Both moves go in one transaction: queued is recorded, and so is the start that follows it.
            moves.Add((task, TaskState.Queued, null, attempt));
            moves.Add((attempt(task) with { State = TaskState.Queued }, TaskState.Running, null, t => t with { LogFile = logFile }));
            starting.Add((definition, tryNumber, lease));
        }

        Apply(state, moves);
        // Written before anything starts: a runner killed now finds every attempt it began.
        await FlushAsync(state, cancellationToken).ConfigureAwait(false);
        foreach (var (definition, tryNumber, lease) in starting)
        {
            state.Active.Add(definition.TaskId);
            var attempt = RunAttemptAsync(dag, definition, run, tryNumber, state.VisibleOutputs(definition.TaskId), observer, cancellationToken, detachToken);
            running.Add(attempt, lease);
        }
    }

    private async Task<(string TaskId, AttemptResult? Result)> RunAttemptAsync(
        DagDefinition dag, TaskDefinition task, DagRun run, int tryNumber, IReadOnlyDictionary<string, object?> outputs, DagRunObserver observer,
        CancellationToken cancellationToken, CancellationToken detachToken) =>
        (task.TaskId, await _attempts.RunAsync(dag, task, run, tryNumber, outputs, observer, cancellationToken, detachToken).ConfigureAwait(false));

    private async Task WaitAsync(RunProgress state, Dictionary<Task<(string TaskId, AttemptResult? Result)>, ExecutionSlots.Lease> running, SemaphoreSlim wake, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>(running.Keys) { wake.WaitAsync(stop.Token) };
        if (state.NextRetry is { } next)
            waits.Add(Task.Delay(Max(next - time.GetUtcNow(), TimeSpan.Zero), time, stop.Token));
        await Task.WhenAny(waits).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void FinishAttempts(RunProgress state, List<(TaskDefinition Definition, AttemptResult Result)> finished, DagRunObserver observer)
    {
        foreach (var (definition, result) in finished)
        {
            var task = state.Tasks[definition.TaskId];
            state.Active.Remove(task.TaskId);
            // Left running in the store: the next runner resumes it (handle) or retries it (none).
            if (result.Detached)
                continue;
            if (!result.Succeeded)
            {
                FailAttempt(definition, state, task, result.Error, observer, result);
                continue;
            }

            // Only real outputs: templates see a missing one as undefined, and the walk for visible outputs stays short.
            if (result.Output is not null)
                state.Outputs[task.TaskId] = result.Output;
            var done = End(definition, state, task, result, null);
            observer.TaskFinished(new TaskOutcome(done.TaskId, TaskState.Success, result.Duration, done.TryNumber, null, result.LogFile));
        }
    }

    private void FailAttempt(TaskDefinition definition, RunProgress state, TaskInstance task, string? error, DagRunObserver observer, AttemptResult? result = null)
    {
        state.Active.Remove(task.TaskId);
        var ended = End(definition, state, task, result, error);
        if (ended.State == TaskState.UpForRetry)
        {
            observer.TaskRetrying(task.TaskId, task.TryNumber, error, ended.RetryAt!.Value);
            return;
        }

        observer.TaskFinished(new TaskOutcome(ended.TaskId, TaskState.Failed, result?.Duration ?? TimeSpan.Zero, ended.TryNumber, error, result?.LogFile ?? ended.LogFile));
    }

    // The attempt's ending, as every runner writes it, kept here until the next flush.
    private TaskInstance End(TaskDefinition definition, RunProgress state, TaskInstance task, AttemptResult? result, string? error)
    {
        var (ended, change, attempt) = AttemptEnding.Of(definition, task, result, error, time.GetUtcNow());
        state.Record(ended);
        state.Pending.Add((ended, change));
        state.PendingAttempts.Add(attempt);
        return ended;
    }

    private TaskInstance Apply(RunProgress state, TaskInstance task, TaskState to, string? message, Func<TaskInstance, TaskInstance>? change = null) =>
        Apply(state, [(task, to, message, change)])[0];

    // Moves are applied in memory and written together by the next flush, which comes before anything
    // is acted on (an attempt started, the run ended): one transaction per pass, not one per move.
    private List<TaskInstance> Apply(
        RunProgress state, List<(TaskInstance Task, TaskState To, string? Message, Func<TaskInstance, TaskInstance>? Change)> moves)
    {
        var now = time.GetUtcNow();
        var moved = new List<TaskInstance>(moves.Count);
        foreach (var move in moves)
        {
            var change = TaskMachine.Move(move.Task, move.To, now, move.Message, move.Change);
            state.Record(change.Task);
            state.Pending.Add(change);
            moved.Add(change.Task);
        }

        return moved;
    }

    private async Task FlushAsync(RunProgress state, CancellationToken cancellationToken)
    {
        if (state.Pending.Count == 0 && state.PendingAttempts.Count == 0)
            return;
        var pending = state.Pending.ToList();
        var attempts = state.PendingAttempts.ToList();
        state.Pending.Clear();
        state.PendingAttempts.Clear();
        await store.UpdateTasksAsync(pending, CancellationToken.None).ConfigureAwait(false);
        await store.RecordAttemptsAsync(attempts, CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<DagRun> MoveRunAsync(DagRun run, DagRunState to, string? message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var moved = run with
        {
            State = to,
            StartedAt = run.StartedAt ?? (to == DagRunState.Running ? now : null),
            EndedAt = to is DagRunState.Success or DagRunState.Failed ? now : null,
        };
        await store.UpdateRunAsync(moved, new RunEvent
        {
            DagId = run.DagId,
            RunId = run.RunId,
            At = now,
            From = TaskStates.Snake(run.State.ToString()),
            To = TaskStates.Snake(to.ToString()),
            Message = message,
        }, cancellationToken).ConfigureAwait(false);
        return moved;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;
}
