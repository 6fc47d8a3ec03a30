using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Storage;

/// <summary>
/// Task instances shared by several processes over one server store (PostgreSQL), as Airflow's schedulers
/// share them: a run's driver (the process holding the run's claim) decides which tasks are due and marks them
/// <c>scheduled</c>; any process's worker claims scheduled tasks (<c>FOR UPDATE SKIP LOCKED</c>, so two never
/// take the same one) within the pools' and runs' limits counted across every process, runs them, and writes
/// their outcome as the task's holder. A holder's claims live while its heartbeat does; a run's driver hands the
/// tasks of a holder that stopped beating back, and an attempt with a recorded remote handle is claimed again to
/// follow that remote job, never to submit it again. SQLite's store, for one process, has no such queue.
/// </summary>
public interface ISharedTasks
{
    /// <summary>The worker's heartbeat: its claims stay its own while this is fresh. Returns the attempts the store
    /// shows it holding (keys as <c>TaskContext.AttemptKeyOf</c> makes them): an attempt it runs that is not among
    /// them was handed to another worker, or cleared, and must stop.</summary>
    Task<IReadOnlySet<string>> BeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims up to <see cref="TaskClaimRequest.Limit"/> tasks for <see cref="TaskClaimRequest.Owner"/>, in
    /// one transaction: scheduled tasks of running runs (a new attempt: try number up, <c>running</c>, with the queued
    /// and running events), and running tasks that nobody holds and whose attempt has a remote handle (resumed: the
    /// same attempt follows its remote job). Pool slots and each DAG's <c>MaxActiveTasks</c> are counted over every
    /// process's running tasks; claims are serialized as Airflow's critical section is, so the counts hold.</summary>
    /// <remarks>The request's outcomes (<see cref="TaskClaimRequest.Outcomes"/>) are written first, in the same
    /// transaction, as <see cref="FinishTasksAsync"/> writes them: a busy worker's pass is one commit.</remarks>
    Task<TaskClaims> ClaimTasksAsync(TaskClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Writes the outcomes of attempts <paramref name="owner"/> ran, with their events and attempts, in one
    /// transaction; each task's write applies only while the store still shows it running under that owner, in the same try (a
    /// holder declared gone must not overwrite its successor). Returns the tasks whose write did not apply.</summary>
    Task<IReadOnlyList<TaskInstance>> FinishTasksAsync(string owner, IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>The run's task instances that succeeded with an output: what a worker's attempt sees of its upstream.</summary>
    Task<IReadOnlyList<TaskInstance>> OutputsAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>The run's running tasks with their holders (null: nobody, waiting to be claimed again), the holders'
    /// last heartbeats, and whether the attempt has a remote handle.</summary>
    Task<IReadOnlyList<TaskHold>> HoldsAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Lets a running task go (its holder stopped, or is gone) so another process can claim it again,
    /// writing <paramref name="note"/> as an event; applies only while <paramref name="holder"/> still holds it.</summary>
    Task<bool> ReleaseTaskAsync(TaskInstance task, string holder, RunEvent note, CancellationToken cancellationToken);

    /// <summary>Lets every task <paramref name="owner"/> holds go (a worker stopping gracefully leaves its
    /// attempts' remote jobs to the others) and removes its heartbeat. Returns how many tasks it let go.</summary>
    Task<int> ReleaseAllAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves a queued run to running only while fewer than <paramref name="maxActiveRuns"/> runs of its DAG
    /// are running, counted in the store, so the limit holds across processes. False when the limit is reached or
    /// the run is no longer queued.</summary>
    Task<bool> TryStartRunAsync(DagRun run, int maxActiveRuns, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What a worker asks for: how many tasks, of which DAGs (those it has loaded: it can run only
/// those), in which pools, and the limits to count them against.</summary>
public sealed record TaskClaimRequest
{
    /// <summary>The worker claiming.</summary>
    public required string Owner { get; init; }

    /// <summary>Now, on the worker's clock.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The most tasks to claim (the worker's free slots); 0 to only write <see cref="Outcomes"/>.</summary>
    public required int Limit { get; init; }

    /// <summary>The DAGs the worker can run: for each, its tasks' pools and its <c>MaxActiveTasks</c>.</summary>
    public required IReadOnlyDictionary<string, ClaimableDag> Dags { get; init; }

    /// <summary>The pools this worker serves; null for every pool.</summary>
    public IReadOnlySet<string>? Pools { get; init; }

    /// <summary>The slots of each named pool, across every process.</summary>
    public required IReadOnlyDictionary<string, int> PoolSlots { get; init; }

    /// <summary>The slots of a pool not named in <see cref="PoolSlots"/>.</summary>
    public required int DefaultPoolSlots { get; init; }

    /// <summary>Outcomes of attempts this worker ran, written before the claim (freeing their slots for it).</summary>
    public IReadOnlyList<(TaskInstance Task, RunEvent Change)> Outcomes { get; init; } = [];

    /// <summary>The attempts of <see cref="Outcomes"/>.</summary>
    public IReadOnlyList<TaskAttempt> Attempts { get; init; } = [];

    /// <summary>The slots of <paramref name="pool"/>.</summary>
    public int SlotsOf(string pool) => PoolSlots.TryGetValue(pool, out var slots) ? slots : DefaultPoolSlots;
}

/// <summary>What a claim took, and which of the outcomes handed in were not written (the task is no longer
/// held by the worker).</summary>
public sealed record TaskClaims(IReadOnlyList<ClaimedTask> Claimed, IReadOnlyList<TaskInstance> Refused);

/// <summary>A DAG a worker can run: the pool of each task, and how many of a run's tasks may run at once.</summary>
public sealed record ClaimableDag(IReadOnlyDictionary<string, string> TaskPools, int MaxActiveTasks)
{
    /// <summary>The pools its tasks use, each once.</summary>
    public IReadOnlySet<string> PoolNames { get; } = TaskPools.Values.ToHashSet(StringComparer.Ordinal);
}

/// <summary>A task a worker claimed: run a new attempt, or (<paramref name="Resumed"/>) follow the
/// remote job its current attempt recorded.</summary>
public sealed record ClaimedTask(TaskInstance Task, bool Resumed);

/// <summary>A running task and who holds it.</summary>
public sealed record TaskHold(TaskInstance Task, string? Holder, DateTimeOffset? HeartbeatAt, bool HasHandle);
