using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Storage;

/// <summary>
/// The durable state of runs: runs, task instances, their event log, outputs, remote handles and
/// paused DAGs. Every change of state is written with its event in one transaction, before the
/// engine acts on it. SQLite implements it; a server database can follow behind the same methods.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Creates the run with a task instance (state <c>none</c>) for each task, and its first
    /// event; returns the stored run, or the existing one when a run with that id is already there, or
    /// the existing run of that logical date (another id: a scheduled, backfill or manual run) when one
    /// is there: a DAG has one run per logical date, test runs aside. Check the returned id.</summary>
    Task<DagRun> CreateRunAsync(DagRun run, IReadOnlyList<string> taskIds, CancellationToken cancellationToken);

    /// <summary>Claims the run for <paramref name="owner"/>, as one transaction: it succeeds when nobody
    /// holds it, the owner already does, the holder's heartbeat is older than <paramref name="staleBefore"/>,
    /// or the holder is <paramref name="goneHolder"/> (a process known to be gone). A takeover is written
    /// to the run's events. Returns the claim as it stands after the attempt.</summary>
    Task<RunClaim> ClaimRunAsync(string dagId, string runId, string owner, DateTimeOffset now, DateTimeOffset staleBefore, string? goneHolder, CancellationToken cancellationToken);

    /// <summary>The holder's heartbeat: true while <paramref name="owner"/> still holds the run.</summary>
    Task<bool> RenewClaimAsync(string dagId, string runId, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lets the run go, if <paramref name="owner"/> holds it.</summary>
    Task ReleaseClaimAsync(string dagId, string runId, string owner, CancellationToken cancellationToken);

    /// <summary>Deletes a run with its task instances, attempts, events and remote handles.</summary>
    Task DeleteRunAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Clears a run to run it again, as Airflow's clear does: the run queued with
    /// <paramref name="conf"/>, every task instance back to <c>none</c>, try numbers kept (the next
    /// attempts get new numbers, so new batch names and handle keys), attempts and events kept.</summary>
    Task ClearRunAsync(string dagId, string runId, string conf, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Adds a task instance (state <c>none</c>) for each id the run does not have yet: tasks
    /// added to the DAG after the run was created.</summary>
    Task AddTaskInstancesAsync(string dagId, string runId, IReadOnlyList<string> taskIds, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The run, or null.</summary>
    Task<DagRun?> FindRunAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>The DAG's runs, newest logical date first, optionally only those in the given states.</summary>
    Task<IReadOnlyList<DagRun>> ListRunsAsync(string dagId, IReadOnlyCollection<DagRunState>? states, CancellationToken cancellationToken);

    /// <summary>The DAG's latest <paramref name="limit"/> runs (1 to <see cref="MaxListed"/>), newest logical date first.</summary>
    Task<IReadOnlyList<DagRun>> LatestRunsAsync(string dagId, int limit, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="perDag"/> runs (1 to <see cref="MaxListed"/>) of every DAG that has
    /// runs, in one query: grouped by DAG id, each DAG's newest logical date first (a DAGs page's marks).</summary>
    Task<IReadOnlyList<DagRun>> LatestRunsOfEveryDagAsync(int perDag, CancellationToken cancellationToken);

    /// <summary>The task instances of the DAG's runs <paramref name="runIds"/> (at most <see cref="MaxListed"/>
    /// ids), in one query (a grid's cells).</summary>
    Task<IReadOnlyList<TaskInstance>> TaskInstancesOfRunsAsync(string dagId, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken);

    /// <summary>The most runs the listing methods answer per DAG, and run ids one query takes.</summary>
    public const int MaxListed = 1000;

    /// <summary>Every run in one of the given states, of any DAG (a restarted scheduler's work).</summary>
    Task<IReadOnlyList<DagRun>> ListRunsInStateAsync(IReadOnlyCollection<DagRunState> states, CancellationToken cancellationToken);

    /// <summary>Changes the run's state (and times), writing the event with it.</summary>
    Task UpdateRunAsync(DagRun run, RunEvent change, CancellationToken cancellationToken);

    /// <summary>The run's task instances.</summary>
    Task<IReadOnlyList<TaskInstance>> TaskInstancesAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Writes a task instance's new state with its event, in one transaction. The write is a
    /// compare-and-set: it applies only if the stored state is still the event's <c>From</c>; otherwise
    /// it throws <see cref="RunConflictException"/> and nothing of the transaction is written.</summary>
    Task UpdateTaskAsync(TaskInstance task, RunEvent change, CancellationToken cancellationToken);

    /// <summary>Writes several task instances' new states with their events, in one transaction, each a
    /// compare-and-set as <see cref="UpdateTaskAsync"/> is.</summary>
    Task UpdateTasksAsync(IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, CancellationToken cancellationToken);

    /// <summary>Records attempts that ended.</summary>
    Task RecordAttemptsAsync(IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>The run's ended attempts, by task and number.</summary>
    Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>The run's event log, oldest first.</summary>
    Task<IReadOnlyList<RunEvent>> EventsAsync(string dagId, string runId, CancellationToken cancellationToken);

    /// <summary>Records a remote handle (a batch or session id, app id, URLs) of an attempt, as JSON.</summary>
    Task SaveHandleAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken);

    /// <summary>The handle recorded for the attempt, or null.</summary>
    Task<string?> LoadHandleAsync(string attemptKey, string kind, CancellationToken cancellationToken);

    /// <summary>Whether any handle is recorded for the attempt: a restarted runner follows that remote job.</summary>
    Task<bool> HasHandleAsync(string attemptKey, CancellationToken cancellationToken);

    /// <summary>Replaces the recorded import errors with those of the latest load of the DAGs folder.</summary>
    Task ReplaceImportErrorsAsync(IReadOnlyList<ImportError> errors, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The import errors of the latest load that recorded them.</summary>
    Task<IReadOnlyList<ImportError>> ImportErrorsAsync(CancellationToken cancellationToken);

    /// <summary>Throws <see cref="RunStoreException"/> when the store can no longer be used (its file was
    /// deleted under the running process); a long-running loop asks on each pass.</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Pauses or unpauses a DAG.</summary>
    Task SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken);

    /// <summary>The ids of the paused DAGs.</summary>
    Task<IReadOnlySet<string>> PausedAsync(CancellationToken cancellationToken);
}
