using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

// The task queue several processes share (ISharedTasks). Claims take one transaction-level advisory lock, Airflow's
// "critical section" (it locks every pool row for the same reason): the pool and run counts read inside it hold
// until the claim commits. Candidate rows are read FOR UPDATE SKIP LOCKED, so a row a run's driver is writing is
// passed over, not waited for. Writes are set-based (unnest), so a batch of claims or outcomes costs a few round
// trips whatever its size.
public sealed partial class PostgresRunStore : ISharedTasks
{
    // Another arbitrary constant: the lock every claiming process queues on ("TaskClai").
    private const long ClaimLock = 0x5461_736B_436C_6169;

    // How many candidate rows one claim looks at beyond what it may take: tasks of full pools or unknown DAGs
    // are passed over without starving those behind them in one pass.
    private const int ScanFactor = 4;

    private const string RunningOrQueued = "('queued', 'running')";

    // The attempt key TaskContext.AttemptKeyOf makes, in SQL: remote handles are stored under it.
    private const string AttemptKey = "t.dag_id || '|' || t.run_id || '|' || t.task_id || '|' || t.try_number";

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> BeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var held = new HashSet<string>(StringComparer.Ordinal);
        await WriteAsync(async db =>
        {
            held.Clear();
            await db.BatchAsync(
            [
                ("INSERT INTO worker (owner, heartbeat_at) VALUES (@owner, @now) ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                 [("owner", owner), ("now", Time(now))]),
                ($"SELECT {AttemptKey} FROM task_instance t WHERE t.held_by = @owner AND t.state = 'running'", [("owner", owner)]),
            ], (_, row) => held.Add(row.GetString(0))).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return held;
    }

    /// <inheritdoc />
    public async Task<TaskClaims> ClaimTasksAsync(TaskClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claiming = request.Limit > 0 && request.Dags.Count > 0;
        if (!claiming)
        {
            var refused = await FinishTasksAsync(request.Owner, request.Outcomes, request.Attempts, cancellationToken).ConfigureAwait(false);
            return new TaskClaims([], refused);
        }

        var claimed = new List<ClaimedTask>();
        var written = new HashSet<(string, string, string)>();
        await WriteAsync(async db =>
        {
            claimed.Clear();
            written.Clear();
            var dags = request.Dags.Keys.ToArray();
            var inPool = new Dictionary<string, int>(StringComparer.Ordinal);
            var inRun = new Dictionary<(string, string), int>();
            var candidates = new List<TaskInstance>();
            // One round trip, statement by statement: the outcomes handed in (freeing their slots), then the lock, so the
            // counts read after it hold until the commit.
            var first = request.Outcomes.Count > 0 ? 1 : 0;
            await db.BatchAsync(
            [
                .. request.Outcomes.Count > 0 ? [FinishStatement(request.Owner, request.Outcomes, request.Attempts)] : Array.Empty<(string, (string, object?)[])>(),
                ($"SELECT pg_advisory_xact_lock({ClaimLock})", []),
                ($"SELECT pool, dag_id, run_id, count(*) FROM task_instance WHERE state IN {RunningOrQueued} GROUP BY pool, dag_id, run_id", []),
            ], (index, row) =>
            {
                if (index < first)
                {
                    written.Add((row.GetString(0), row.GetString(1), row.GetString(2)));
                }
                else if (index == first + 1)
                {
                    var count = (int)row.GetInt64(3);
                    if (!row.IsDBNull(0))
                        inPool[row.GetString(0)] = inPool.GetValueOrDefault(row.GetString(0)) + count;
                    var run = (row.GetString(1), row.GetString(2));
                    inRun[run] = inRun.GetValueOrDefault(run) + count;
                }
            }).ConfigureAwait(false);

            // The second: resumes first (their remote jobs run already), then scheduled tasks, oldest run first, each
            // run's read through a partial index of its scheduled tasks, passing over (in SQL) the runs at their
            // MaxActiveTasks and the tasks of pools that are full or not served: a run or a pool that cannot take more
            // never hides the work behind it.
            var filter = ClaimFilter.Of(request, inPool, inRun);
            await db.BatchAsync(
            [
                ($"""
                 SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.started_at, t.ended_at, t.retry_at, t.output, t.log_file, t.error
                 FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
                 WHERE t.dag_id = ANY(@dags) AND r.state = 'running' AND r.task_queue
                   AND t.state = 'running' AND t.held_by IS NULL AND t.pool IS NOT NULL AND EXISTS (
                       SELECT 1 FROM remote_handle h WHERE h.attempt_key = {AttemptKey})
                 LIMIT @limit
                 FOR UPDATE OF t SKIP LOCKED
                 """, [("dags", dags), ("limit", request.Limit)]),
                ("""
                 SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.started_at, t.ended_at, t.retry_at, t.output, t.log_file, t.error
                 FROM (SELECT dag_id, run_id FROM dag_run
                       WHERE dag_id = ANY(@open) AND state = 'running' AND task_queue
                         AND (dag_id || chr(31) || run_id) NOT IN (SELECT unnest(@full))
                       ORDER BY logical_date, queued_at) r
                 CROSS JOIN LATERAL (
                     SELECT * FROM task_instance s WHERE s.dag_id = r.dag_id AND s.run_id = r.run_id AND s.state = 'scheduled'
                       AND (s.dag_id <> ALL(@listed) OR (s.dag_id || chr(31) || s.task_id) IN (SELECT unnest(@allowed)))
                     ORDER BY s.task_id LIMIT @limit FOR UPDATE SKIP LOCKED) t
                 LIMIT @scan
                 """, [("open", filter.OpenDags), ("full", filter.FullRuns), ("listed", filter.ListedDags), ("allowed", filter.Allowed),
                       ("limit", request.Limit), ("scan", request.Limit * ScanFactor)]),
            ], (_, row) => candidates.Add(ReadTask(row))).ConfigureAwait(false);
            var fresh = new List<(TaskInstance Task, string Pool)>();
            var resumed = new List<TaskInstance>();
            foreach (var task in candidates)
            {
                if (fresh.Count + resumed.Count >= request.Limit)
                    break;
                // A worker takes only tasks it knows, of the pools it serves, new attempts and resumes alike.
                var dag = request.Dags[task.DagId];
                if (!dag.TaskPools.TryGetValue(task.TaskId, out var pool) || (request.Pools is { } served && !served.Contains(pool)))
                    continue;
                if (task.State == TaskState.Running)
                {
                    // Its slots are counted already: it never stopped running.
                    resumed.Add(task);
                    continue;
                }

                var run = (task.DagId, task.RunId);
                if (inPool.GetValueOrDefault(pool) >= request.SlotsOf(pool) || inRun.GetValueOrDefault(run) >= Math.Max(1, dag.MaxActiveTasks))
                    continue;
                inPool[pool] = inPool.GetValueOrDefault(pool) + 1;
                inRun[run] = inRun.GetValueOrDefault(run) + 1;
                fresh.Add((task, pool));
            }

            var now = Time(request.Now)!.Value;
            await WriteClaimsAsync(db, request.Owner, now, fresh, resumed).ConfigureAwait(false);
            claimed.AddRange(fresh.Select(f => new ClaimedTask(f.Task with { State = TaskState.Running, TryNumber = f.Task.TryNumber + 1, StartedAt = now, EndedAt = null, RetryAt = null, Error = null }, Resumed: false)));
            claimed.AddRange(resumed.Select(r => new ClaimedTask(r, Resumed: true)));
        }, cancellationToken).ConfigureAwait(false);
        return new TaskClaims(claimed, Refused(request.Outcomes, written));
    }

    // What a claim may take, from the counts read under the lock: the DAGs with any task it may take, the runs at
    // their MaxActiveTasks, and for a DAG some of whose tasks it may not take (their pool is full, or not served),
    // the tasks it may ("dag\u001ftask"). Keys joined with the unit separator, which no id contains.
    private sealed record ClaimFilter(string[] OpenDags, string[] FullRuns, string[] ListedDags, string[] Allowed)
    {
        public static ClaimFilter Of(TaskClaimRequest request, Dictionary<string, int> inPool, Dictionary<(string, string), int> inRun)
        {
            bool Takes(string pool) => (request.Pools is null || request.Pools.Contains(pool)) && inPool.GetValueOrDefault(pool) < request.SlotsOf(pool);
            var open = new List<string>();
            var listed = new List<string>();
            var allowed = new List<string>();
            var takes = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (dagId, dag) in request.Dags)
            {
                // Most of the time every pool has room: the DAG is open whole, without a look at each task.
                if (dag.PoolNames.All(pool => takes.TryGetValue(pool, out var open) ? open : takes[pool] = Takes(pool)))
                {
                    if (dag.TaskPools.Count > 0)
                        open.Add(dagId);
                    continue;
                }

                var taken = dag.TaskPools.Where(p => takes.TryGetValue(p.Value, out var room) ? room : takes[p.Value] = Takes(p.Value)).Select(p => p.Key).ToList();
                if (taken.Count == 0)
                    continue;
                open.Add(dagId);
                if (taken.Count == dag.TaskPools.Count)
                    continue;
                listed.Add(dagId);
                allowed.AddRange(taken.Select(task => dagId + '\u001f' + task));
            }

            var full = inRun.Where(r => request.Dags.TryGetValue(r.Key.Item1, out var dag) && r.Value >= Math.Max(1, dag.MaxActiveTasks))
                .Select(r => r.Key.Item1 + '\u001f' + r.Key.Item2).ToArray();
            return new ClaimFilter([.. open], full, [.. listed], [.. allowed]);
        }
    }

    // The new attempts (try number up, running, held, the queued and running events the executor writes in one
    // process) and the resumed ones (held again, an event saying so), in one round trip.
    private static async Task WriteClaimsAsync(Db db, string owner, DateTimeOffset now, List<(TaskInstance Task, string Pool)> fresh, List<TaskInstance> resumed)
    {
        var statements = new List<(string, (string, object?)[])>();
        if (fresh.Count > 0)
        {
            var (dags, runs, tasks) = Keys(fresh.Select(f => f.Task));
            var tries = fresh.Select(f => f.Task.TryNumber + 1).ToArray();
            statements.Add((
                """
                UPDATE task_instance t SET state = 'running', try_number = t.try_number + 1, started_at = @now, ended_at = NULL, retry_at = NULL,
                    error = NULL, held_by = @owner, pool = c.pool
                FROM unnest(@dags, @runs, @tasks, @pools) AS c(dag_id, run_id, task_id, pool)
                WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id
                """,
                [("now", now), ("owner", owner), ("dags", dags), ("runs", runs), ("tasks", tasks), ("pools", fresh.Select(f => f.Pool).ToArray())]));
            statements.Add(EventsOf(dags, runs, tasks, tries, now, "scheduled", "queued", null));
            statements.Add(EventsOf(dags, runs, tasks, tries, now, "queued", "running", $"claimed by {RunOwner.Describe(owner)}"));
        }

        if (resumed.Count > 0)
        {
            var (dags, runs, tasks) = Keys(resumed);
            statements.Add((
                """
                UPDATE task_instance t SET held_by = @owner
                FROM unnest(@dags, @runs, @tasks) AS c(dag_id, run_id, task_id)
                WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id
                """,
                [("owner", owner), ("dags", dags), ("runs", runs), ("tasks", tasks)]));
            statements.Add(EventsOf(dags, runs, tasks, [.. resumed.Select(r => r.TryNumber)], now, "running", "running",
                $"resumed by {RunOwner.Describe(owner)}: following the recorded remote job"));
        }

        if (statements.Count > 0)
            await db.BatchAsync(statements).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TaskInstance>> FinishTasksAsync(
        string owner, IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(attempts);
        if (changes.Count == 0)
            return [];
        var written = new HashSet<(string, string, string)>();
        await WriteAsync(async db =>
        {
            written.Clear();
            await db.BatchAsync([FinishStatement(owner, changes, attempts)], (_, row) => written.Add((row.GetString(0), row.GetString(1), row.GetString(2)))).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return Refused(changes, written);
    }

    private static List<TaskInstance> Refused(IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, HashSet<(string, string, string)> written) =>
        [.. changes.Select(c => c.Task).Where(t => !written.Contains((t.DagId, t.RunId, t.TaskId)))];

    // One statement: the compare-and-set update (running, held by this owner), and the events and attempts of the
    // rows it wrote, joined to what it returned (the keys of the tasks written).
    private static (string, (string, object?)[]) FinishStatement(string owner, IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, IReadOnlyList<TaskAttempt> attempts)
    {
        var tasks = changes.Select(c => c.Task).ToList();
        var events = changes.Select(c => c.Change).ToList();
        var (dags, runs, ids) = Keys(tasks);
        return (
            """
            WITH written AS (
                UPDATE task_instance t SET state = c.state, try_number = c.try, started_at = c.started, ended_at = c.ended, retry_at = c.retry,
                    output = c.output, log_file = c.log, error = c.error, held_by = NULL
                FROM unnest(@dags, @runs, @tasks, @states, @tries, @started, @ended, @retry, @outputs, @logs, @errors)
                    AS c(dag_id, run_id, task_id, state, try, started, ended, retry, output, log, error)
                WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id AND t.state = 'running' AND t.held_by = @owner
                    AND t.try_number = c.try
                RETURNING t.dag_id, t.run_id, t.task_id),
            events AS (
                INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
                SELECT e.dag_id, e.run_id, e.task_id, e.try, e.at, e.from_state, e.to_state, e.message
                FROM unnest(@dags, @runs, @tasks, @tries, @at, @from, @to, @messages) AS e(dag_id, run_id, task_id, try, at, from_state, to_state, message)
                JOIN written w ON w.dag_id = e.dag_id AND w.run_id = e.run_id AND w.task_id = e.task_id),
            attempts AS (
                INSERT INTO task_attempt (dag_id, run_id, task_id, try_number, state, started_at, ended_at, log_file, error, rendered_fields)
                SELECT a.* FROM unnest(@adags, @aruns, @atasks, @atries, @astates, @astarted, @aended, @alogs, @aerrors, @arendered)
                    AS a(dag_id, run_id, task_id, try, state, started, ended, log, error, rendered)
                JOIN written w ON w.dag_id = a.dag_id AND w.run_id = a.run_id AND w.task_id = a.task_id
                ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at,
                    log_file = excluded.log_file, error = excluded.error, rendered_fields = coalesce(excluded.rendered_fields, task_attempt.rendered_fields))
            SELECT dag_id, run_id, task_id FROM written
            """,
            [("dags", dags), ("runs", runs), ("tasks", ids), ("states", tasks.Select(t => Name(t.State)).ToArray()),
             ("tries", tasks.Select(t => t.TryNumber).ToArray()), ("started", Times(tasks.Select(t => t.StartedAt))),
             ("ended", Times(tasks.Select(t => t.EndedAt))), ("retry", Times(tasks.Select(t => t.RetryAt))),
             ("outputs", tasks.Select(t => t.Output).ToArray()), ("logs", tasks.Select(t => t.LogFile).ToArray()),
             ("errors", tasks.Select(t => t.Error).ToArray()), ("owner", owner),
             ("at", Times(events.Select(e => (DateTimeOffset?)e.At))), ("from", events.Select(e => e.From).ToArray()),
             ("to", events.Select(e => e.To).ToArray()), ("messages", events.Select(e => e.Message).ToArray()),
             ("adags", attempts.Select(a => a.DagId).ToArray()), ("aruns", attempts.Select(a => a.RunId).ToArray()),
             ("atasks", attempts.Select(a => a.TaskId).ToArray()), ("atries", attempts.Select(a => a.TryNumber).ToArray()),
             ("astates", attempts.Select(a => Name(a.State)).ToArray()), ("astarted", Times(attempts.Select(a => a.StartedAt))),
             ("aended", Times(attempts.Select(a => (DateTimeOffset?)a.EndedAt))), ("alogs", attempts.Select(a => a.LogFile).ToArray()),
             ("aerrors", attempts.Select(a => a.Error).ToArray()), ("arendered", attempts.Select(a => a.RenderedFields).ToArray())]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskInstance>> OutputsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync(
            """
            SELECT dag_id, run_id, task_id, state, try_number, started_at, ended_at, retry_at, output, log_file, error
            FROM task_instance WHERE dag_id = @dag AND run_id = @run AND state = 'success' AND output IS NOT NULL
            """,
            ReadTask, [("dag", dagId), ("run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskHold>> HoldsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.started_at, t.ended_at, t.retry_at, t.output, t.log_file, t.error,
                t.held_by, w.heartbeat_at,
                EXISTS (SELECT 1 FROM remote_handle h WHERE h.attempt_key = {AttemptKey}) AS has_handle
            FROM task_instance t LEFT JOIN worker w ON w.owner = t.held_by
            WHERE t.dag_id = @dag AND t.run_id = @run AND t.state = 'running'
            """,
            row => new TaskHold(
                ReadTask(row),
                row.IsDBNull(11) ? null : row.GetString(11),
                row.IsDBNull(12) ? null : ReadTime(row, 12),
                row.GetBoolean(13)),
            [("dag", dagId), ("run", runId)], cancellationToken);

    /// <inheritdoc />
    public async Task<bool> ReleaseTaskAsync(TaskInstance task, string holder, RunEvent note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(note);
        var released = false;
        await WriteAsync(async db =>
        {
            released = await db.ExecuteAsync(
                "UPDATE task_instance SET held_by = NULL WHERE dag_id = @dag AND run_id = @run AND task_id = @task AND state = 'running' AND held_by = @holder",
                ("dag", task.DagId), ("run", task.RunId), ("task", task.TaskId), ("holder", holder)).ConfigureAwait(false) > 0;
            if (released)
                await InsertEventAsync(db, note).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <inheritdoc />
    public async Task<int> ReleaseAllAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var released = 0;
        await WriteAsync(async db =>
        {
            var rows = await db.RowsAsync(
                "UPDATE task_instance SET held_by = NULL WHERE held_by = @owner AND state = 'running' RETURNING dag_id, run_id, task_id, try_number",
                ("owner", owner)).ConfigureAwait(false);
            released = rows.Count;
            if (rows.Count > 0)
            {
                await db.BatchAsync([EventsOf([.. rows.Select(r => (string)r[0]!)], [.. rows.Select(r => (string)r[1]!)], [.. rows.Select(r => (string)r[2]!)],
                    [.. rows.Select(r => (int)r[3]!)], Time(now)!.Value, "running", "running", $"let go by {RunOwner.Describe(owner)}, which is stopping: its remote job is left to the next worker")]).ConfigureAwait(false);
            }

            await db.ExecuteAsync("DELETE FROM worker WHERE owner = @owner", ("owner", owner)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <inheritdoc />
    public async Task<bool> TryStartRunAsync(DagRun run, int maxActiveRuns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = false;
        await WriteAsync(async db =>
        {
            // One DAG's starts queue on a lock of their own; other DAGs' runs start meanwhile.
            await db.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@dag, 17))", ("dag", run.DagId)).ConfigureAwait(false);
            var state = await db.ScalarAsync("SELECT state FROM dag_run WHERE dag_id = @dag AND run_id = @run", ("dag", run.DagId), ("run", run.RunId)).ConfigureAwait(false) as string;
            if (state == "running")
            {
                await db.ExecuteAsync("UPDATE dag_run SET task_queue = true WHERE dag_id = @dag AND run_id = @run", ("dag", run.DagId), ("run", run.RunId)).ConfigureAwait(false);
                started = true;
                return;
            }

            if (state != "queued")
                return;
            var running = (long)(await db.ScalarAsync("SELECT count(*) FROM dag_run WHERE dag_id = @dag AND state = 'running' AND run_type <> 'test'", ("dag", run.DagId)).ConfigureAwait(false))!;
            if (running >= maxActiveRuns)
                return;
            var at = Time(now);
            await db.ExecuteAsync(
                "UPDATE dag_run SET state = 'running', task_queue = true, started_at = coalesce(started_at, @now), ended_at = NULL WHERE dag_id = @dag AND run_id = @run",
                ("now", at), ("dag", run.DagId), ("run", run.RunId)).ConfigureAwait(false);
            await InsertEventAsync(db, new RunEvent { DagId = run.DagId, RunId = run.RunId, At = now, From = "queued", To = "running", Message = "started" }).ConfigureAwait(false);
            started = true;
        }, cancellationToken).ConfigureAwait(false);
        return started;
    }

    private static (string, (string, object?)[]) EventsOf(string[] dags, string[] runs, string[] tasks, int[] tries, DateTimeOffset at, string from, string to, string? message) =>
        ("""
         INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
         SELECT c.dag_id, c.run_id, c.task_id, c.try, @at, @from, @to, @message FROM unnest(@dags, @runs, @tasks, @tries) AS c(dag_id, run_id, task_id, try)
         """,
         [("at", at), ("from", from), ("to", to), ("message", message), ("dags", dags), ("runs", runs), ("tasks", tasks), ("tries", tries)]);

    private static (string[] Dags, string[] Runs, string[] Tasks) Keys(IEnumerable<TaskInstance> tasks)
    {
        var list = tasks as IReadOnlyList<TaskInstance> ?? [.. tasks];
        return ([.. list.Select(t => t.DagId)], [.. list.Select(t => t.RunId)], [.. list.Select(t => t.TaskId)]);
    }

    private static DateTime?[] Times(IEnumerable<DateTimeOffset?> times) => [.. times.Select(t => Time(t)?.UtcDateTime)];
}
