using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Engine.Testing;

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
public sealed class DagRunExecutor(IRunStore store, ExecutionSlots slots, ExecutorOptions options, TimeProvider time, IServiceProvider? services = null)
{
    private readonly AttemptRunner _attempts = new(time, options, services);

    /// <summary>Runs <paramref name="run"/> of <paramref name="dag"/> until every task is final, and returns the run's final
    /// record; when <paramref name="detachToken"/> stops it first, returns the run still running.</summary>
    public async Task<DagRun> RunAsync(DagDefinition dag, DagRun run, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken = default)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(observer);
        var state = new RunProgress(dag, (await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TaskId, StringComparer.Ordinal));
        if (run.State == DagRunState.Queued)
            run = await MoveRunAsync(run, DagRunState.Running, "started", cancellationToken).ConfigureAwait(false);
        var resume = await RecoverAsync(dag, state, observer, cancellationToken).ConfigureAwait(false);

        var wake = new SemaphoreSlim(0);
        void Freed() => wake.Release();
        slots.Freed += Freed;
        using var detaching = detachToken.Register(Freed);
        var running = new Dictionary<Task<(string TaskId, AttemptResult? Result)>, ExecutionSlots.Lease>();
        try
        {
            while (true)
            {
                await DecideAsync(dag, state, observer, cancellationToken).ConfigureAwait(false);
                if (!detachToken.IsCancellationRequested)
                    await StartAsync(dag, run, state, resume, running, observer, cancellationToken, detachToken).ConfigureAwait(false);
                if (running.Count == 0 && (state.AllFinal || detachToken.IsCancellationRequested))
                    break;
                await WaitAsync(state, running, wake, cancellationToken).ConfigureAwait(false);
                foreach (var done in running.Keys.Where(t => t.IsCompleted).ToList())
                {
                    running.Remove(done, out var lease);
                    lease?.Dispose();
                    var (taskId, result) = await done.ConfigureAwait(false);
                    await FinishAttemptAsync(dag.FindTask(taskId)!, state, result!, observer, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            slots.Freed -= Freed;
            foreach (var lease in running.Values)
                lease.Dispose();
            wake.Dispose();
        }

        if (!state.AllFinal)
            return run;
        var failed = dag.Tasks.Where(t => t.Downstream.Length == 0)
            .Any(t => state.Tasks[t.TaskId].State is TaskState.Failed or TaskState.UpstreamFailed);
        return await MoveRunAsync(run, failed ? DagRunState.Failed : DagRunState.Success, null, cancellationToken).ConfigureAwait(false);
    }

    // Attempts the store shows as queued or running were cut off by the runner stopping.
    private async Task<HashSet<string>> RecoverAsync(DagDefinition dag, RunProgress state, DagRunObserver observer, CancellationToken cancellationToken)
    {
        var resume = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in state.Tasks.Values.ToList())
        {
            if (dag.FindTask(task.TaskId) is null)
            {
                if (!TaskMachine.IsFinal(task.State))
                    await MoveAsync(state, task, TaskState.Removed, "the task is no longer in the DAG", cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (task.State == TaskState.Queued)
            {
                await MoveAsync(state, task, TaskState.Scheduled, "the runner stopped before the attempt started", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (task.State == TaskState.Running)
            {
                var key = string.Join('|', task.DagId, task.RunId, task.TaskId, task.TryNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (await store.HasHandleAsync(key, cancellationToken).ConfigureAwait(false))
                    resume.Add(task.TaskId);
                else
                    await FailAttemptAsync(dag.FindTask(task.TaskId)!, state, task, "the runner stopped during this attempt", observer, cancellationToken).ConfigureAwait(false);
            }
        }

        return resume;
    }

    // Tasks whose upstream tasks are all final are decided by their trigger rule; retries that are due are scheduled.
    private async Task DecideAsync(DagDefinition dag, RunProgress state, DagRunObserver observer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var definition in dag.Tasks)
        {
            var task = state.Tasks[definition.TaskId];
            if (task.State == TaskState.UpForRetry && task.RetryAt <= now)
            {
                await MoveAsync(state, task, TaskState.Scheduled, "retry due", cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

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
            var moved = await MoveAsync(state, task, to, decision == TriggerDecision.Run ? null : $"trigger rule {definition.Policy.TriggerRule}", cancellationToken: cancellationToken).ConfigureAwait(false);
            if (to != TaskState.Scheduled)
                observer.TaskFinished(new TaskOutcome(moved.TaskId, to, TimeSpan.Zero, 0, null, null));
        }
    }

    private async Task StartAsync(
        DagDefinition dag, DagRun run, RunProgress state, HashSet<string> resume,
        Dictionary<Task<(string TaskId, AttemptResult? Result)>, ExecutionSlots.Lease> running, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        foreach (var definition in dag.Tasks)
        {
            if (running.Count >= Math.Max(1, dag.MaxActiveTasks))
                return;
            var task = state.Tasks[definition.TaskId];
            var resuming = task.State == TaskState.Running && resume.Contains(task.TaskId) && !state.Active.Contains(task.TaskId);
            if (task.State != TaskState.Scheduled && !resuming)
                continue;
            if (slots.TryTake(definition.Policy.Pool) is not { } lease)
                continue;
            int tryNumber;
            if (resuming)
            {
                resume.Remove(task.TaskId);
                tryNumber = task.TryNumber;
                await MoveAsync(state, task, TaskState.Running, "resumed by a restarted runner: following the recorded remote job", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                tryNumber = task.TryNumber + 1;
                var now = time.GetUtcNow();
                var queued = await MoveAsync(state, task, TaskState.Queued, null, t => t with { TryNumber = tryNumber, StartedAt = now, EndedAt = null, RetryAt = null, Error = null }, cancellationToken).ConfigureAwait(false);
                await MoveAsync(state, queued, TaskState.Running, null, t => t with { LogFile = _attempts.LogFile(run.DagId, run.RunId, t.TaskId, tryNumber) }, cancellationToken).ConfigureAwait(false);
            }

            state.Active.Add(task.TaskId);
            var outputs = state.VisibleOutputs(definition.TaskId);
            var attempt = RunAttemptAsync(dag, definition, run, tryNumber, outputs, observer, cancellationToken, detachToken);
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

    private async Task FinishAttemptAsync(TaskDefinition definition, RunProgress state, AttemptResult result, DagRunObserver observer, CancellationToken cancellationToken)
    {
        var task = state.Tasks[definition.TaskId];
        state.Active.Remove(task.TaskId);
        // Left running in the store: the next runner resumes it (handle) or retries it (none).
        if (result.Detached)
            return;
        if (!result.Succeeded)
        {
            await FailAttemptAsync(definition, state, task, result.Error, observer, cancellationToken, result).ConfigureAwait(false);
            return;
        }

        state.Outputs[task.TaskId] = result.Output;
        var done = await MoveAsync(state, task, TaskState.Success, null, t => t with { Output = OutputJson(result.Output) }, cancellationToken).ConfigureAwait(false);
        observer.TaskFinished(new TaskOutcome(done.TaskId, TaskState.Success, result.Duration, done.TryNumber, null, result.LogFile));
    }

    private async Task FailAttemptAsync(TaskDefinition definition, RunProgress state, TaskInstance task, string? error, DagRunObserver observer, CancellationToken cancellationToken, AttemptResult? result = null)
    {
        state.Active.Remove(task.TaskId);
        if (task.TryNumber <= definition.Policy.Retries)
        {
            var retryAt = time.GetUtcNow() + RetryDelays.After(definition.Policy, task.TryNumber);
            await MoveAsync(state, task, TaskState.UpForRetry, error, t => t with { RetryAt = retryAt, Error = error }, cancellationToken).ConfigureAwait(false);
            observer.TaskRetrying(task.TaskId, task.TryNumber, error, retryAt);
            return;
        }

        var failed = await MoveAsync(state, task, TaskState.Failed, error, t => t with { Error = error }, cancellationToken).ConfigureAwait(false);
        observer.TaskFinished(new TaskOutcome(failed.TaskId, TaskState.Failed, result?.Duration ?? TimeSpan.Zero, failed.TryNumber, error, result?.LogFile ?? failed.LogFile));
    }

    private async Task<TaskInstance> MoveAsync(RunProgress state, TaskInstance task, TaskState to, string? message, Func<TaskInstance, TaskInstance>? change = null, CancellationToken cancellationToken = default)
    {
        var (moved, change_) = TaskMachine.Move(task, to, time.GetUtcNow(), message, change);
        // Written before it is acted on: a runner killed right after finds this state.
        await store.UpdateTaskAsync(moved, change_, CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        state.Tasks[moved.TaskId] = moved;
        return moved;
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

    private static string? OutputJson(object? output)
    {
        if (output is null)
            return null;
        try
        {
            return JsonSerializer.Serialize(output, output.GetType());
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return JsonSerializer.Serialize(new { unstorable = output.GetType().Name, reason = e.Message });
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;
}
