using System.Collections.Concurrent;
using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Execution;

// The run's driver over a shared store: it decides the run's tasks and marks them scheduled, and the workers of
// every process (this one's included) claim and run them. It sees their outcomes by reading the run's tasks back
// (at once when this process's worker wrote some, else at the poll), and hands back the tasks of a worker whose
// heartbeat stopped: an attempt with a remote handle to be followed by another worker, one without counted failed.
public sealed partial class DagRunExecutor
{
    private async Task<DagRun> DriveSharedAsync(DagDefinition dag, DagRun run, RunProgress state, DagRunObserver observer, CancellationToken cancellationToken, CancellationToken detachToken)
    {
        var shared = board!;
        // MaxActiveRuns is counted in the store, over every process's runs.
        if (!await shared.Tasks.TryStartRunAsync(run, Math.Max(1, dag.MaxActiveRuns), time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            return run;
        run = await store.FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false) ?? run;
        RemoveGoneTasks(state);

        // Not disposed, as in the run of one process: a late signal may still release it.
#pragma warning disable CA2000 // see above
        var wake = new SemaphoreSlim(0);
#pragma warning restore CA2000
        void Wake() => wake.Release();
        // What this process's worker wrote comes as written; what other processes wrote is read at the poll.
        var inbox = new ConcurrentQueue<TaskInstance>();
        void Finished(IReadOnlyList<TaskInstance> written)
        {
            var ours = false;
            foreach (var task in written.Where(t => t.DagId == run.DagId && t.RunId == run.RunId))
            {
                inbox.Enqueue(task);
                ours = true;
            }

            if (ours)
                Wake();
        }

        shared.Finished += Finished;
        var detaching = detachToken.Register(Wake);
        var nextReap = DateTimeOffset.MinValue;
        var nextRead = DateTimeOffset.MinValue;
        var readEvery = shared.Options.PollInterval;
        try
        {
            while (true)
            {
                try
                {
                    Decide(dag, state, observer);
                    var scheduled = state.Pending.Any(p => p.Task.State == TaskState.Scheduled);
                    await FlushAsync(state, cancellationToken).ConfigureAwait(false);
                    if (scheduled)
                        shared.OnScheduled();
                    if (state.AllFinal || detachToken.IsCancellationRequested)
                        break;
                    await WaitPolledAsync(state, wake, cancellationToken).ConfigureAwait(false);
                    while (inbox.TryDequeue(out var written))
                        _ = Take(state, written);
                    if (time.GetUtcNow() >= nextRead)
                    {
                        // Read back often while other processes change the run; less often (up to four poll
                        // intervals) while everything came from this process's worker: a run's task list is its
                        // size in rows.
                        readEvery = await RefreshAsync(run, state, cancellationToken).ConfigureAwait(false) > 0
                            ? shared.Options.PollInterval
                            : Min(readEvery * 2, shared.Options.PollInterval * 4);
                        nextRead = time.GetUtcNow() + readEvery;
                    }

                    if (time.GetUtcNow() >= nextReap)
                    {
                        await HandBackAsync(run, state, observer, cancellationToken).ConfigureAwait(false);
                        nextReap = time.GetUtcNow() + options.ClaimHeartbeat;
                    }
                }
                catch (RunStoreException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The server did not answer (a restart, a lost connection): the workers' tasks go on, and so does
                    // the run once the store answers again; a driver that gives up would fail a run that is fine.
                    // Waited on the clock, then read afresh.
                    await Task.Delay(shared.Options.PollInterval * 4, time, cancellationToken).ConfigureAwait(false);
                    nextRead = DateTimeOffset.MinValue;
                }
                catch (RunConflictException)
                {
                    // Another process changed a task this driver was about to move (a cleared run, a late worker):
                    // start again from what the store shows.
                    var stored = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
                    state = new RunProgress(dag, stored.ToDictionary(t => t.TaskId, StringComparer.Ordinal));
                }
            }
        }
        finally
        {
            shared.Finished -= Finished;
            await detaching.DisposeAsync().ConfigureAwait(false);
        }

        return await EndAsync(dag, run, state, cancellationToken).ConfigureAwait(false);
    }

    private void RemoveGoneTasks(RunProgress state)
    {
        foreach (var task in state.Tasks.Values.ToList())
        {
            if (state.Definition(task.TaskId) is null && !TaskMachine.IsFinal(task.State))
                Apply(state, task, TaskState.Removed, "the task is no longer in the DAG");
            else if (task.State == TaskState.Queued)
                Apply(state, task, TaskState.Scheduled, "the runner stopped before the attempt started");
        }
    }

    private async Task WaitPolledAsync(RunProgress state, SemaphoreSlim wake, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task> { wake.WaitAsync(stop.Token), Task.Delay(board!.Options.PollInterval, time, stop.Token) };
        if (state.NextRetry is { } next)
            waits.Add(Task.Delay(Max(next - time.GetUtcNow(), TimeSpan.Zero), time, stop.Token));
        await Task.WhenAny(waits).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        // Several signals may have come while waiting: one read of the store answers them all.
        while (wake.CurrentCount > 0)
            await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The workers' writes, read back (at most once a poll interval: a run's task list is its size in rows): a task whose state or try changed is recorded, which makes its downstream
    // worth deciding.
    private async Task<int> RefreshAsync(DagRun run, RunProgress state, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var task in await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false))
        {
            if (Take(state, task))
                changed++;
        }

        return changed;
    }

    private static bool Take(RunProgress state, TaskInstance task)
    {
        if (state.Tasks.TryGetValue(task.TaskId, out var known) && known.State == task.State && known.TryNumber == task.TryNumber)
            return false;
        state.Record(task);
        return true;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    // A worker that stopped beating (killed, its machine lost) or whose process is gone holds its tasks no more: each
    // is let go, and followed again by the next worker when its attempt recorded a remote job, else counted failed
    // (retried by its policy). A task let go earlier (its worker stopped gracefully) without a job is failed here too.
    private async Task HandBackAsync(DagRun run, RunProgress state, DagRunObserver observer, CancellationToken cancellationToken)
    {
        var shared = board!.Tasks;
        var now = time.GetUtcNow();
        foreach (var hold in await shared.HoldsAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false))
        {
            if (state.Definition(hold.Task.TaskId) is not { } definition)
                continue;
            if (hold.Holder is { } holder)
            {
                var stale = hold.HeartbeatAt is not { } beat || beat < now - options.ClaimStaleAfter || RunOwner.IsGone(holder);
                if (!stale)
                    continue;
                var why = hold.HeartbeatAt is { } at
                    ? string.Create(CultureInfo.InvariantCulture, $"its last heartbeat was at {at:yyyy-MM-dd HH:mm:ss}Z")
                    : "it is gone";
                var note = new RunEvent
                {
                    DagId = run.DagId, RunId = run.RunId, TaskId = hold.Task.TaskId, TryNumber = hold.Task.TryNumber, At = now, From = "running", To = "running",
                    Message = $"{RunOwner.Describe(holder)} stopped ({why}): " + (hold.HasHandle ? "its remote job is handed to another worker" : "the attempt recorded no remote job"),
                };
                if (!await shared.ReleaseTaskAsync(hold.Task, holder, note, cancellationToken).ConfigureAwait(false))
                    continue;
            }

            if (hold.HasHandle)
                continue;
            state.Record(hold.Task);
            FailAttempt(definition, state, hold.Task, "the worker running this attempt stopped before it recorded a remote job", observer);
        }

        await FlushAsync(state, cancellationToken).ConfigureAwait(false);
    }
}
