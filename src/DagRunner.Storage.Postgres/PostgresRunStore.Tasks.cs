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
    private const int ScanFactor = 8;

    private const string RunningOrQueued = "('queued', 'running')";

    /// <inheritdoc />
    public Task BeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        return WriteAsync(db => db.ExecuteAsync(
            "INSERT INTO worker (owner, heartbeat_at) VALUES (@owner, @now) ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
            ("owner", owner), ("now", Time(now))), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedTask>> ClaimTasksAsync(TaskClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit < 1 || request.Dags.Count == 0)
            return [];
        var claimed = new List<ClaimedTask>();
        await WriteAsync(async db =>
        {
            claimed.Clear();
            await db.ExecuteAsync($"SELECT pg_advisory_xact_lock({ClaimLock})").ConfigureAwait(false);
            var dags = request.Dags.Keys.ToArray();
            var inPool = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in await db.RowsAsync($"SELECT pool, count(*) FROM task_instance WHERE state IN {RunningOrQueued} AND pool IS NOT NULL GROUP BY pool").ConfigureAwait(false))
                inPool[(string)row[0]!] = (int)(long)row[1]!;
            var inRun = new Dictionary<(string, string), int>();
            foreach (var row in await db.RowsAsync($"SELECT dag_id, run_id, count(*) FROM task_instance WHERE state IN {RunningOrQueued} AND dag_id = ANY(@dags) GROUP BY dag_id, run_id", ("dags", dags)).ConfigureAwait(false))
                inRun[((string)row[0]!, (string)row[1]!)] = (int)(long)row[2]!;

            // Resumes first (their remote jobs run already), then runs in logical date order.
            var candidates = await db.ReadAsync(
                """
                SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.started_at, t.ended_at, t.retry_at, t.output, t.log_file, t.error
                FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
                WHERE t.dag_id = ANY(@dags) AND r.state = 'running' AND r.task_queue
                  AND (t.state = 'scheduled'
                       OR (t.state = 'running' AND t.held_by IS NULL AND t.pool IS NOT NULL AND EXISTS (
                           SELECT 1 FROM remote_handle h WHERE h.attempt_key = t.dag_id || '|' || t.run_id || '|' || t.task_id || '|' || t.try_number)))
                ORDER BY t.state = 'running' DESC, r.logical_date, r.queued_at, t.task_id
                LIMIT @scan
                FOR UPDATE OF t SKIP LOCKED
                """,
                ReadTask, ("dags", dags), ("scan", request.Limit * ScanFactor)).ConfigureAwait(false);
            var fresh = new List<(TaskInstance Task, string Pool)>();
            var resumed = new List<TaskInstance>();
            foreach (var task in candidates)
            {
                if (fresh.Count + resumed.Count >= request.Limit)
                    break;
                if (task.State == TaskState.Running)
                {
                    // Its slots are counted already: it never stopped running.
                    resumed.Add(task);
                    continue;
                }

                var dag = request.Dags[task.DagId];
                if (!dag.TaskPools.TryGetValue(task.TaskId, out var pool) || (request.Pools is { } served && !served.Contains(pool)))
                    continue;
                var run = (task.DagId, task.RunId);
                if (inPool.GetValueOrDefault(pool) >= request.SlotsOf(pool) || inRun.GetValueOrDefault(run) >= Math.Max(1, dag.MaxActiveTasks))
                    continue;
                inPool[pool] = inPool.GetValueOrDefault(pool) + 1;
                inRun[run] = inRun.GetValueOrDefault(run) + 1;
                fresh.Add((task, pool));
            }

            var now = Time(request.Now)!.Value;
            await StartAttemptsAsync(db, request.Owner, now, fresh).ConfigureAwait(false);
            await ResumeAsync(db, request.Owner, now, resumed).ConfigureAwait(false);
            claimed.AddRange(fresh.Select(f => new ClaimedTask(f.Task with { State = TaskState.Running, TryNumber = f.Task.TryNumber + 1, StartedAt = now, EndedAt = null, RetryAt = null, Error = null }, Resumed: false)));
            claimed.AddRange(resumed.Select(r => new ClaimedTask(r, Resumed: true)));
        }, cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    private static async Task StartAttemptsAsync(Db db, string owner, DateTimeOffset now, List<(TaskInstance Task, string Pool)> fresh)
    {
        if (fresh.Count == 0)
            return;
        var (dags, runs, tasks) = Keys(fresh.Select(f => f.Task));
        await db.ExecuteAsync(
            """
            UPDATE task_instance t SET state = 'running', try_number = t.try_number + 1, started_at = @now, ended_at = NULL, retry_at = NULL,
                error = NULL, held_by = @owner, pool = c.pool
            FROM unnest(@dags, @runs, @tasks, @pools) AS c(dag_id, run_id, task_id, pool)
            WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id
            """,
            ("now", now), ("owner", owner), ("dags", dags), ("runs", runs), ("tasks", tasks), ("pools", fresh.Select(f => f.Pool).ToArray())).ConfigureAwait(false);
        // The same two events the executor writes in one process: queued, then running, under the new try number.
        var tries = fresh.Select(f => f.Task.TryNumber + 1).ToArray();
        await InsertEventsAsync(db, dags, runs, tasks, tries, now, "scheduled", "queued", null).ConfigureAwait(false);
        await InsertEventsAsync(db, dags, runs, tasks, tries, now, "queued", "running", $"claimed by {RunOwner.Describe(owner)}").ConfigureAwait(false);
    }

    private static async Task ResumeAsync(Db db, string owner, DateTimeOffset now, List<TaskInstance> resumed)
    {
        if (resumed.Count == 0)
            return;
        var (dags, runs, tasks) = Keys(resumed);
        await db.ExecuteAsync(
            """
            UPDATE task_instance t SET held_by = @owner
            FROM unnest(@dags, @runs, @tasks) AS c(dag_id, run_id, task_id)
            WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id
            """,
            ("owner", owner), ("dags", dags), ("runs", runs), ("tasks", tasks)).ConfigureAwait(false);
        await InsertEventsAsync(db, dags, runs, tasks, resumed.Select(r => r.TryNumber).ToArray(), now, "running", "running",
            $"resumed by {RunOwner.Describe(owner)}: following the recorded remote job").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TaskInstance>> FinishTasksAsync(
        string owner, IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(attempts);
        if (changes.Count == 0)
            return [];
        var refused = new List<TaskInstance>();
        await WriteAsync(async db =>
        {
            refused.Clear();
            var tasks = changes.Select(c => c.Task).ToList();
            var (dags, runs, ids) = Keys(tasks);
            var written = (await db.RowsAsync(
                """
                UPDATE task_instance t SET state = c.state, try_number = c.try, started_at = c.started, ended_at = c.ended, retry_at = c.retry,
                    output = c.output, log_file = c.log, error = c.error, held_by = NULL
                FROM unnest(@dags, @runs, @tasks, @states, @tries, @started, @ended, @retry, @outputs, @logs, @errors)
                    AS c(dag_id, run_id, task_id, state, try, started, ended, retry, output, log, error)
                WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id AND t.state = 'running' AND t.held_by = @owner
                RETURNING t.dag_id, t.run_id, t.task_id
                """,
                ("dags", dags), ("runs", runs), ("tasks", ids), ("states", tasks.Select(t => Name(t.State)).ToArray()),
                ("tries", tasks.Select(t => t.TryNumber).ToArray()), ("started", Times(tasks.Select(t => t.StartedAt))),
                ("ended", Times(tasks.Select(t => t.EndedAt))), ("retry", Times(tasks.Select(t => t.RetryAt))),
                ("outputs", tasks.Select(t => t.Output).ToArray()), ("logs", tasks.Select(t => t.LogFile).ToArray()),
                ("errors", tasks.Select(t => t.Error).ToArray()), ("owner", owner)).ConfigureAwait(false))
                .Select(row => ((string)row[0]!, (string)row[1]!, (string)row[2]!)).ToHashSet();
            refused.AddRange(tasks.Where(t => !written.Contains((t.DagId, t.RunId, t.TaskId))));
            foreach (var (task, change) in changes.Where(c => written.Contains((c.Task.DagId, c.Task.RunId, c.Task.TaskId))))
                await InsertEventAsync(db, change).ConfigureAwait(false);
            foreach (var attempt in attempts.Where(a => written.Contains((a.DagId, a.RunId, a.TaskId))))
                await InsertAttemptAsync(db, attempt).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return refused;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskHold>> HoldsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync(
            """
            SELECT t.dag_id, t.run_id, t.task_id, t.state, t.try_number, t.started_at, t.ended_at, t.retry_at, t.output, t.log_file, t.error,
                t.held_by, w.heartbeat_at,
                EXISTS (SELECT 1 FROM remote_handle h WHERE h.attempt_key = t.dag_id || '|' || t.run_id || '|' || t.task_id || '|' || t.try_number) AS has_handle
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
                await InsertEventsAsync(db, [.. rows.Select(r => (string)r[0]!)], [.. rows.Select(r => (string)r[1]!)], [.. rows.Select(r => (string)r[2]!)],
                    [.. rows.Select(r => (int)r[3]!)], Time(now)!.Value, "running", "running", $"let go by {RunOwner.Describe(owner)}, which is stopping: its remote job is left to the next worker").ConfigureAwait(false);
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

    private static Task<int> InsertEventsAsync(Db db, string[] dags, string[] runs, string[] tasks, int[] tries, DateTimeOffset at, string from, string to, string? message) =>
        db.ExecuteAsync(
            """
            INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
            SELECT c.dag_id, c.run_id, c.task_id, c.try, @at, @from, @to, @message FROM unnest(@dags, @runs, @tasks, @tries) AS c(dag_id, run_id, task_id, try)
            """,
            ("at", at), ("from", from), ("to", to), ("message", message), ("dags", dags), ("runs", runs), ("tasks", tasks), ("tries", tries));

    private static (string[] Dags, string[] Runs, string[] Tasks) Keys(IEnumerable<TaskInstance> tasks)
    {
        var list = tasks as IReadOnlyList<TaskInstance> ?? [.. tasks];
        return ([.. list.Select(t => t.DagId)], [.. list.Select(t => t.RunId)], [.. list.Select(t => t.TaskId)]);
    }

    private static DateTime?[] Times(IEnumerable<DateTimeOffset?> times) => [.. times.Select(t => Time(t)?.UtcDateTime)];
}
