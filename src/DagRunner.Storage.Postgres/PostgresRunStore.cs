using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

/// <summary>
/// The run store on PostgreSQL, the same behaviour as SQLite's behind <see cref="IRunStore"/>, for several
/// processes on several machines: every write is one transaction; the one-run-per-date rule is a unique key;
/// run claims lock their row (<c>FOR UPDATE</c>), so of two processes claiming at once exactly one wins; a task's
/// state is written compare-and-set, so a runner that lost its run cannot overwrite its successor. Times are
/// <c>timestamptz</c>, kept to the microsecond (PostgreSQL's precision; written truncated, so a time read back
/// equals the time written). Several processes share its tasks through <see cref="ISharedTasks"/>.
/// </summary>
public sealed partial class PostgresRunStore : IRunStore
{
    private readonly NpgsqlDataSource _source;

    private PostgresRunStore(NpgsqlDataSource source, string where)
    {
        _source = source;
        Where = where;
    }

    /// <summary>The store's URI, password masked.</summary>
    public string Where { get; }

    /// <summary>Opens the store at <paramref name="uri"/> (<c>postgres://user:password@host:port/database</c>) and brings
    /// its schema up to date (once, whoever else opens it at the same time).</summary>
    /// <exception cref="RunStoreException">The URI is wrong, the server cannot be reached, or the database is newer
    /// than this code; the message masks the password.</exception>
    public static Task<PostgresRunStore> OpenAsync(string uri, CancellationToken cancellationToken) =>
        OpenConnectionStringAsync(PostgresUri.ConnectionString(uri), PostgresUri.Masked(uri), cancellationToken);

    /// <summary>Opens the store behind an Npgsql connection string (tests).</summary>
    internal static async Task<PostgresRunStore> OpenConnectionStringAsync(string connectionString, string where, CancellationToken cancellationToken)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await PostgresMigrations.ApplyAsync(connection, where, cancellationToken).ConfigureAwait(false);
            return new PostgresRunStore(source, where);
        }
        catch (NpgsqlException e)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw new RunStoreException($"The run store {where} could not be opened: {e.Message}", e);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT 1", [], cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<DagRun> CreateRunAsync(DagRun run, IReadOnlyList<string> taskIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(taskIds);
        await WriteAsync(async db =>
        {
            // Any conflict leaves the store as it was: the same run id, or another run of the date (the unique date_key).
            var inserted = await db.ExecuteAsync(
                """
                INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, conf, queued_at, started_at, ended_at, date_key)
                VALUES (@dag, @run, @type, @logical, @start, @end, @state, @conf, @queued, @started, @ended, @date)
                ON CONFLICT DO NOTHING
                """,
                ("dag", run.DagId), ("run", run.RunId), ("type", Name(run.RunType)), ("logical", Time(run.LogicalDate)),
                ("start", Time(run.DataIntervalStart)), ("end", Time(run.DataIntervalEnd)), ("state", Name(run.State)),
                ("conf", run.Conf), ("queued", Time(run.QueuedAt)), ("started", Time(run.StartedAt)), ("ended", Time(run.EndedAt)),
                ("date", run.RunType == RunType.Test ? null : Time(run.LogicalDate))).ConfigureAwait(false);
            if (inserted == 0)
                return;
            await db.ExecuteAsync("INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) SELECT @dag, @run, t, 'none', 0 FROM unnest(@tasks) AS t",
                ("dag", run.DagId), ("run", run.RunId), ("tasks", taskIds.ToArray())).ConfigureAwait(false);

            await InsertEventAsync(db, new RunEvent { DagId = run.DagId, RunId = run.RunId, At = run.QueuedAt, From = "", To = Name(run.State), Message = $"{Name(run.RunType)} run created" }).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return await FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false)
            ?? ((await QueryAsync("SELECT * FROM dag_run WHERE dag_id = @dag AND date_key = @date", ReadRun, [("dag", run.DagId), ("date", Time(run.LogicalDate))], cancellationToken).ConfigureAwait(false)) is [var ofTheDate] ? ofTheDate : null)
            ?? throw new InvalidOperationException($"Run {run.RunId} of {run.DagId} was not stored.");
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        WriteAsync(async db =>
        {
            await db.ExecuteAsync("DELETE FROM run_event WHERE dag_id = @dag AND run_id = @run", ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM task_attempt WHERE dag_id = @dag AND run_id = @run", ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM remote_handle WHERE starts_with(attempt_key, @prefix)", ("prefix", $"{dagId}|{runId}|")).ConfigureAwait(false);
            await db.ExecuteAsync("DELETE FROM dag_run WHERE dag_id = @dag AND run_id = @run", ("dag", dagId), ("run", runId)).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task ClearRunAsync(string dagId, string runId, string conf, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(async db =>
        {
            await db.ExecuteAsync(
                "UPDATE dag_run SET state = 'queued', conf = @conf, queued_at = @at, started_at = NULL, ended_at = NULL WHERE dag_id = @dag AND run_id = @run",
                ("conf", conf), ("at", Time(at)), ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            await db.ExecuteAsync(
                "UPDATE task_instance SET state = 'none', started_at = NULL, ended_at = NULL, retry_at = NULL, output = NULL, log_file = NULL, error = NULL, held_by = NULL WHERE dag_id = @dag AND run_id = @run",
                ("dag", dagId), ("run", runId)).ConfigureAwait(false);
            await InsertEventAsync(db, new RunEvent { DagId = dagId, RunId = runId, At = at, From = "", To = "queued", Message = "cleared to run again" }).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task AddTaskInstancesAsync(string dagId, string runId, IReadOnlyList<string> taskIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        return taskIds.Count == 0 ? Task.CompletedTask : WriteAsync(async db =>
        {
            foreach (var taskId in taskIds)
            {
                if (await db.ExecuteAsync(
                    "INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) VALUES (@dag, @run, @task, 'none', 0) ON CONFLICT DO NOTHING",
                    ("dag", dagId), ("run", runId), ("task", taskId)).ConfigureAwait(false) > 0)
                {
                    await InsertEventAsync(db, new RunEvent { DagId = dagId, RunId = runId, TaskId = taskId, At = at, From = "", To = "none", Message = "task added to the DAG" }).ConfigureAwait(false);
                }
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateRunAsync(DagRun run, RunEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async db =>
        {
            await db.ExecuteAsync(
                "UPDATE dag_run SET state = @state, started_at = @started, ended_at = @ended WHERE dag_id = @dag AND run_id = @run",
                ("state", Name(run.State)), ("started", Time(run.StartedAt)), ("ended", Time(run.EndedAt)), ("dag", run.DagId), ("run", run.RunId)).ConfigureAwait(false);
            await InsertEventAsync(db, change).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateTaskAsync(TaskInstance task, RunEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(db => WriteTaskAsync(db, task, change), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateTasksAsync(IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Count == 0 ? Task.CompletedTask : WriteAsync(async db =>
        {
            if (changes.Count == 1)
            {
                await WriteTaskAsync(db, changes[0].Task, changes[0].Change).ConfigureAwait(false);
                return;
            }

            // Set-based, one statement per layer: a task moved twice in one write (queued, then running) has its first
            // move in the first layer and its second in the next, so each statement updates a row at most once.
            var seen = new Dictionary<(string, string, string), int>();
            var layers = new List<List<(TaskInstance Task, RunEvent Change)>>();
            foreach (var change in changes)
            {
                var key = (change.Task.DagId, change.Task.RunId, change.Task.TaskId);
                var layer = seen.GetValueOrDefault(key);
                seen[key] = layer + 1;
                if (layers.Count == layer)
                    layers.Add([]);
                layers[layer].Add(change);
            }

            foreach (var layer in layers)
                await WriteTasksAsync(db, layer).ConfigureAwait(false);
        }, cancellationToken);
    }

    // The compare-and-set of WriteTaskAsync for many tasks at once, with their events; any task whose stored state is
    // not its event's From rolls the whole transaction back, as one by one.
    private static async Task WriteTasksAsync(Db db, List<(TaskInstance Task, RunEvent Change)> changes)
    {
        var tasks = changes.Select(c => c.Task).ToList();
        var events = changes.Select(c => c.Change).ToList();
        var written = new HashSet<(string, string, string)>();
        await db.BatchAsync(
        [
            ("""
             WITH written AS (
                 UPDATE task_instance t SET state = c.state, try_number = c.try, started_at = c.started, ended_at = c.ended, retry_at = c.retry,
                     output = c.output, log_file = c.log, error = c.error
                 FROM unnest(@dags, @runs, @tasks, @states, @tries, @started, @ended, @retry, @outputs, @logs, @errors, @from)
                     AS c(dag_id, run_id, task_id, state, try, started, ended, retry, output, log, error, from_state)
                 WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id AND t.state = c.from_state
                 RETURNING t.dag_id, t.run_id, t.task_id),
             events AS (
                 INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
                 SELECT e.dag_id, e.run_id, e.task_id, e.try, e.at, e.from_state, e.to_state, e.message
                 FROM unnest(@edags, @eruns, @etasks, @etries, @at, @from, @to, @messages) AS e(dag_id, run_id, task_id, try, at, from_state, to_state, message)
                 JOIN written w ON w.dag_id = e.dag_id AND w.run_id = e.run_id AND w.task_id = e.task_id)
             SELECT dag_id, run_id, task_id FROM written
             """,
             [("dags", tasks.Select(t => t.DagId).ToArray()), ("runs", tasks.Select(t => t.RunId).ToArray()), ("tasks", tasks.Select(t => t.TaskId).ToArray()),
              ("states", tasks.Select(t => Name(t.State)).ToArray()), ("tries", tasks.Select(t => t.TryNumber).ToArray()),
              ("started", Times(tasks.Select(t => t.StartedAt))), ("ended", Times(tasks.Select(t => t.EndedAt))), ("retry", Times(tasks.Select(t => t.RetryAt))),
              ("outputs", tasks.Select(t => t.Output).ToArray()), ("logs", tasks.Select(t => t.LogFile).ToArray()), ("errors", tasks.Select(t => t.Error).ToArray()),
              ("from", events.Select(e => e.From).ToArray()), ("edags", events.Select(e => e.DagId).ToArray()), ("eruns", events.Select(e => e.RunId).ToArray()),
              ("etasks", events.Select(e => e.TaskId).ToArray()), ("etries", events.Select(e => e.TryNumber).ToArray()),
              ("at", Times(events.Select(e => (DateTimeOffset?)e.At))), ("to", events.Select(e => e.To).ToArray()), ("messages", events.Select(e => e.Message).ToArray())]),
        ], (_, row) => written.Add((row.GetString(0), row.GetString(1), row.GetString(2)))).ConfigureAwait(false);
        if (written.Count == changes.Count)
            return;
        var (task, change) = changes.First(c => !written.Contains((c.Task.DagId, c.Task.RunId, c.Task.TaskId)));
        var now = await db.ScalarAsync("SELECT state FROM task_instance WHERE dag_id = @dag AND run_id = @run AND task_id = @task",
            ("dag", task.DagId), ("run", task.RunId), ("task", task.TaskId)).ConfigureAwait(false);
        throw Conflict(task, change, now);
    }

    // Compare-and-set on the state the writer saw: a second writer (a runner that lost the run) cannot
    // overwrite what the holder wrote, and the whole transaction is rolled back when it tries.
    private static async Task WriteTaskAsync(Db db, TaskInstance task, RunEvent change)
    {
        var written = await db.ExecuteAsync(
            """
            UPDATE task_instance SET state = @state, try_number = @try, started_at = @started, ended_at = @ended, retry_at = @retry,
                output = @output, log_file = @log, error = @error
            WHERE dag_id = @dag AND run_id = @run AND task_id = @task AND state = @from
            """,
            ("state", Name(task.State)), ("try", task.TryNumber), ("started", Time(task.StartedAt)), ("ended", Time(task.EndedAt)),
            ("retry", Time(task.RetryAt)), ("output", task.Output), ("log", task.LogFile), ("error", task.Error),
            ("dag", task.DagId), ("run", task.RunId), ("task", task.TaskId), ("from", change.From)).ConfigureAwait(false);
        if (written == 0)
        {
            var now = await db.ScalarAsync("SELECT state FROM task_instance WHERE dag_id = @dag AND run_id = @run AND task_id = @task",
                ("dag", task.DagId), ("run", task.RunId), ("task", task.TaskId)).ConfigureAwait(false);
            throw Conflict(task, change, now);
        }

        await InsertEventAsync(db, change).ConfigureAwait(false);
    }

    private static RunConflictException Conflict(TaskInstance task, RunEvent change, object? now) => new(
        $"Task '{task.TaskId}' of run {task.RunId} of {task.DagId} is {now ?? "gone"} in the store, not {change.From}: another runner changed it, so this one stops acting on the run.");

    /// <inheritdoc />
    public Task RecordAttemptsAsync(IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        return attempts.Count == 0 ? Task.CompletedTask : WriteAsync(async db =>
        {
            foreach (var attempt in attempts)
                await InsertAttemptAsync(db, attempt).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveHandleAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken) =>
        WriteAsync(db => db.ExecuteAsync(
            "INSERT INTO remote_handle (attempt_key, kind, json) VALUES (@key, @kind, @json) ON CONFLICT (attempt_key, kind) DO UPDATE SET json = excluded.json",
            ("key", attemptKey), ("kind", kind), ("json", json)), cancellationToken);

    /// <inheritdoc />
    public Task ReplaceImportErrorsAsync(IReadOnlyList<ImportError> errors, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return WriteAsync(async db =>
        {
            await db.ExecuteAsync("DELETE FROM import_error").ConfigureAwait(false);
            foreach (var error in errors)
            {
                await db.ExecuteAsync(
                    "INSERT INTO import_error (file, source_file, line, column_number, code, message, recorded_at) VALUES (@file, @source, @line, @column, @code, @message, @at)",
                    ("file", error.File), ("source", error.SourceFile), ("line", error.Line), ("column", error.Column), ("code", error.Code), ("message", error.Message), ("at", Time(at))).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken) =>
        WriteAsync(db => db.ExecuteAsync(
            "INSERT INTO dag_pause (dag_id, paused) VALUES (@dag, @paused) ON CONFLICT (dag_id) DO UPDATE SET paused = excluded.paused",
            ("dag", dagId), ("paused", paused)), cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static Task<int> InsertAttemptAsync(Db db, TaskAttempt attempt) => db.ExecuteAsync(
        """
        INSERT INTO task_attempt (dag_id, run_id, task_id, try_number, state, started_at, ended_at, log_file, error, rendered_fields)
        VALUES (@dag, @run, @task, @try, @state, @started, @ended, @log, @error, @rendered)
        ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at,
            log_file = excluded.log_file, error = excluded.error, rendered_fields = coalesce(excluded.rendered_fields, task_attempt.rendered_fields)
        """,
        ("dag", attempt.DagId), ("run", attempt.RunId), ("task", attempt.TaskId), ("try", attempt.TryNumber), ("state", Name(attempt.State)),
        ("started", Time(attempt.StartedAt)), ("ended", Time(attempt.EndedAt)), ("log", attempt.LogFile), ("error", attempt.Error), ("rendered", attempt.RenderedFields));

    private static Task<int> InsertEventAsync(Db db, RunEvent change) => db.ExecuteAsync(
        """
        INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
        VALUES (@dag, @run, @task, @try, @at, @from, @to, @message)
        """,
        ("dag", change.DagId), ("run", change.RunId), ("task", change.TaskId), ("try", change.TryNumber), ("at", Time(change.At)),
        ("from", change.From), ("to", change.To), ("message", change.Message));
}
