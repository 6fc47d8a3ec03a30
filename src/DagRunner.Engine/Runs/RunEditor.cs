using System.Collections.Immutable;
using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;

namespace DagRunner.Engine.Runs;

/// <summary>
/// Changes to runs made by hand, as Airflow's clear and mark do, for every front end (the CLI's
/// <c>tasks clear</c>, <c>tasks mark</c>, <c>dags mark</c> and the web UI's buttons): the rules live here once.
/// <para>Each change first claims the run in the store, as a runner does, and holds it while it writes:
/// a run held by a live runner (a fresh heartbeat, its process not gone) is refused with a message naming
/// that runner, since the runner works from its own copy of the run's state and would overwrite the change
/// (or run a cleared task's remote job beside the one it still follows). Holding the claim also keeps any
/// runner from starting the run halfway through the change. A run whose runner is gone or stale is taken
/// over (the store writes that event) and let go at the end.</para>
/// <para>Clearing keeps try numbers: the next attempt gets a new number, so a new batch name and handle key,
/// and the Livy operators find an earlier try's submission whose outcome was never weighed and follow it
/// instead of submitting the job again.</para>
/// </summary>
public sealed partial class RunEditor(IRunStore store, ExecutorOptions options, TimeProvider time)
{
    /// <summary>Clears <paramref name="taskIds"/> of the run (and, with <paramref name="downstream"/>, every task
    /// downstream of them in <paramref name="dag"/>) to run them again: state <c>none</c>, try numbers kept,
    /// the run queued again.</summary>
    public Task<RunEdit> ClearTasksAsync(DagDefinition dag, string runId, IReadOnlyList<string> taskIds, bool downstream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(taskIds);
        return EditAsync(dag, runId, taskIds, (run, tasks, now) => Clear(dag, run, tasks, downstream ? WithDownstream(dag, taskIds) : taskIds, now), cancellationToken);
    }

    /// <summary>Marks one task instance <paramref name="to"/> (<c>success</c> or <c>failed</c>) by hand; the run's
    /// state follows: decided when every task is final, queued again when it had ended and some are not.</summary>
    public Task<RunEdit> MarkTaskAsync(DagDefinition dag, string runId, string taskId, TaskState to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (to is not (TaskState.Success or TaskState.Failed))
            throw new ArgumentOutOfRangeException(nameof(to), to, "A task is marked success or failed.");
        return EditAsync(dag, runId, [taskId], (run, tasks, now) => MarkTask(dag, run, tasks, taskId, to, now), cancellationToken);
    }

    /// <summary>Marks the run <paramref name="to"/> (<c>success</c> or <c>failed</c>) by hand, as Airflow does:
    /// success sets every unfinished task success; failed sets running and queued tasks failed and those
    /// not started skipped.</summary>
    public Task<RunEdit> MarkRunAsync(DagDefinition dag, string runId, DagRunState to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (to is not (DagRunState.Success or DagRunState.Failed))
            throw new ArgumentOutOfRangeException(nameof(to), to, "A run is marked success or failed.");
        return EditAsync(dag, runId, [], (run, tasks, now) => MarkRun(run, tasks, to, now), cancellationToken);
    }

    // What a change writes: task moves with their events, attempts cut off, the run's new state.
    private sealed record Change(List<(TaskInstance Task, RunEvent Event)> Tasks, List<TaskAttempt> Attempts, DagRun? Run, string? RunMessage, string Message);

    private async Task<RunEdit> EditAsync(DagDefinition dag, string runId, IReadOnlyList<string> taskIds, Func<DagRun, IReadOnlyDictionary<string, TaskInstance>, DateTimeOffset, Change> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (await store.FindRunAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false) is not { } run)
            return RunEdit.NotFound($"DAG '{dag.DagId}' has no run '{runId}'.");
        var known = (await store.TaskInstancesAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        if (taskIds.FirstOrDefault(id => !known.ContainsKey(id)) is { } unknown)
            return RunEdit.NotFound($"Run {runId} of {dag.DagId} has no task '{unknown}'. Its tasks: {string.Join(", ", Ordered(dag, known.Keys))}.", run);

        // A name of its own, never the executor's: a runner of this same process must count as another holder.
        var owner = RunOwner.NewId();
        var claim = await ClaimAsync(run, owner, cancellationToken).ConfigureAwait(false);
        if (!claim.Held)
            return Refused(dag, run, known, taskIds, claim);
        try
        {
            // Read again under the claim: what the runner wrote before it let go is what is changed.
            run = await store.FindRunAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false) ?? run;
            var tasks = (await store.TaskInstancesAsync(dag.DagId, runId, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.TaskId, StringComparer.Ordinal);
            if (await HeldByLiveWorkerAsync(dag, run, taskIds, cancellationToken).ConfigureAwait(false) is { } refused)
                return refused;
            var now = time.GetUtcNow();
            var done = change(run, tasks, now);
            try
            {
                await store.UpdateTasksAsync(done.Tasks, cancellationToken).ConfigureAwait(false);
            }
            catch (RunConflictException e)
            {
                return new RunEdit { Outcome = RunEditOutcome.Refused, Message = e.Message, Run = run };
            }

            await store.RecordAttemptsAsync(done.Attempts, cancellationToken).ConfigureAwait(false);
            if (done.Run is { } moved && moved.State != run.State)
            {
                await store.UpdateRunAsync(moved, new RunEvent
                {
                    DagId = run.DagId, RunId = run.RunId, At = now, From = TaskStates.Snake(run.State.ToString()), To = TaskStates.Snake(moved.State.ToString()), Message = done.RunMessage,
                }, cancellationToken).ConfigureAwait(false);
                run = moved;
            }

            return new RunEdit
            {
                Outcome = RunEditOutcome.Done,
                Message = done.Message,
                Run = run,
                Changed = [.. Ordered(dag, done.Tasks.Select(t => t.Task.TaskId))],
            };
        }
        finally
        {
            await store.ReleaseClaimAsync(dag.DagId, runId, owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Over a shared store a task runs in a worker of any process, not in the run's driver: a task asked for (any
    // task, for a change of the whole run) that a live worker holds is refused as a live runner is, since the
    // worker would go on with the attempt beside the change.
    private async Task<RunEdit?> HeldByLiveWorkerAsync(DagDefinition dag, DagRun run, IReadOnlyList<string> taskIds, CancellationToken cancellationToken)
    {
        var shared = store is MaskingRunStore masking ? masking.SharedTasks : store as ISharedTasks;
        if (shared is null)
            return null;
        var now = time.GetUtcNow();
        var asked = taskIds.ToHashSet(StringComparer.Ordinal);
        var live = (await shared.HoldsAsync(dag.DagId, run.RunId, cancellationToken).ConfigureAwait(false))
            .Where(h => (asked.Count == 0 || asked.Contains(h.Task.TaskId)) && h.Holder is { } holder
                && h.HeartbeatAt is { } beat && beat >= now - options.ClaimStaleAfter && !RunOwner.IsGone(holder))
            .OrderBy(h => h.Task.TaskId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (live is null)
            return null;
        var at = string.Create(CultureInfo.InvariantCulture, $"{live.HeartbeatAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
        return new RunEdit
        {
            Outcome = RunEditOutcome.Refused,
            Message = $"Task '{live.Task.TaskId}' of run {run.RunId} is running in worker {RunOwner.Describe(live.Holder!)} (last heartbeat {at} UTC): wait for it to end or stop that worker.",
            Run = run,
            Holder = live.Holder,
        };
    }

    // As the executor judges a holder: stale after ClaimStaleAfter, or gone when its process on this machine ended.
    private async Task<RunClaim> ClaimAsync(DagRun run, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = await store.ClaimRunAsync(run.DagId, run.RunId, owner, now, now - options.ClaimStaleAfter, null, cancellationToken).ConfigureAwait(false);
        if (!claim.Held && claim.Holder is { } holder && RunOwner.IsGone(holder))
            claim = await store.ClaimRunAsync(run.DagId, run.RunId, owner, now, now - options.ClaimStaleAfter, holder, cancellationToken).ConfigureAwait(false);
        return claim;
    }

    private static RunEdit Refused(DagDefinition dag, DagRun run, Dictionary<string, TaskInstance> tasks, IReadOnlyList<string> taskIds, RunClaim claim)
    {
        var holder = claim.Holder is null ? "another runner" : RunOwner.Describe(claim.Holder);
        var beat = claim.HeartbeatAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" (last heartbeat {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)") : "";
        var asked = taskIds.Count > 0 ? taskIds : [.. tasks.Keys];
        var busy = Ordered(dag, asked).Select(id => tasks[id]).FirstOrDefault(t => t.State is TaskState.Running or TaskState.Queued or TaskState.UpForRetry);
        var what = busy is null
            ? $"Run {run.RunId} of {run.DagId} is being run by {holder}{beat}, which works from its own copy of the run's state and would undo the change"
            : $"Task '{busy.TaskId}' of run {run.RunId} is {TaskStates.Name(busy.State)} in {holder}{beat}";
        var test = run.RunType == RunType.Test ? " (test runs are run by `dags test`)" : "";
        return new RunEdit
        {
            Outcome = RunEditOutcome.Refused,
            Message = $"{what}{test}: wait for it to end or stop that runner.",
            Run = run,
            Holder = claim.Holder,
        };
    }

    // Who runs a queued run: the scheduler runs scheduled and manual ones; backfill and test runs belong
    // to the command that made them.
    private static string WhoRuns(DagRun run) => run.RunType switch
    {
        RunType.Backfill => "Backfill runs are run by `dags backfill`: run it again for this date to run it.",
        RunType.Test => "Test runs are run by `dags test`, which runs the whole DAG again.",
        _ => "The scheduler runs it (a paused DAG's queued runs wait until it is unpaused).",
    };

    private static IEnumerable<string> Ordered(DagDefinition dag, IEnumerable<string> ids)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        return dag.Tasks.Select(t => t.TaskId).Where(set.Contains).Concat(set.Where(id => dag.FindTask(id) is null).Order(StringComparer.Ordinal));
    }

    private static ImmutableArray<string> WithDownstream(DagDefinition dag, IReadOnlyList<string> taskIds)
    {
        var seen = new HashSet<string>(taskIds, StringComparer.Ordinal);
        var todo = new Stack<string>(taskIds);
        while (todo.TryPop(out var id))
        {
            foreach (var next in dag.FindTask(id)?.Downstream ?? [])
            {
                if (seen.Add(next))
                    todo.Push(next);
            }
        }

        return [.. seen];
    }
}
