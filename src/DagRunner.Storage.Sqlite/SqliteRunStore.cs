using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>
/// The run store in one SQLite file: WAL (readers never wait for the writer), one writer that commits
/// waiting changes together, versioned migrations on open. Times are stored as UTC ISO 8601 text, so
/// they sort as they compare.
/// </summary>
public sealed partial class SqliteRunStore : IRunStore
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriter _writer;

    private SqliteRunStore(string path, string connectionString, SqliteConnection writeConnection)
    {
        Path = path;
        _connectionString = connectionString;
        _writeConnection = writeConnection;
        _writer = new SqliteWriter(writeConnection);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="RunStoreException">The file cannot be created or opened, or is not a healthy
    /// DagRunner store (damaged, empty, foreign, newer); it is left as it was.</exception>
    public static SqliteRunStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        var connection = SqliteStoreFile.Open(full, out var connectionString);
        return new SqliteRunStore(full, connectionString, connection);
    }

    /// <inheritdoc />
    public Task CheckAsync(CancellationToken cancellationToken) =>
        // The open connection keeps writing to a deleted file's inode without a word: look at the path.
        File.Exists(Path)
            ? Task.CompletedTask
            : Task.FromException(new RunStoreException($"The run store {Path} was deleted while in use: stopping, as nothing written now would be kept. Restore it from a backup, or start again to create a new one."));

    /// <inheritdoc />
    public async Task<DagRun> CreateRunAsync(DagRun run, IReadOnlyList<string> taskIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(taskIds);
        await _writer.WriteAsync(db =>
        {
            // Any conflict leaves the store as it was: the same run id, or another run of the date (the unique date_key).
            var inserted = db.Execute(
                """
                INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, conf, queued_at, started_at, ended_at, date_key)
                VALUES ($dag, $run, $type, $logical, $start, $end, $state, $conf, $queued, $started, $ended, $date)
                ON CONFLICT DO NOTHING
                """,
                ("$dag", run.DagId), ("$run", run.RunId), ("$type", Name(run.RunType)), ("$logical", Time(run.LogicalDate)),
                ("$start", Time(run.DataIntervalStart)), ("$end", Time(run.DataIntervalEnd)), ("$state", Name(run.State)),
                ("$conf", run.Conf), ("$queued", Time(run.QueuedAt)), ("$started", Time(run.StartedAt)), ("$ended", Time(run.EndedAt)),
                ("$date", run.RunType == RunType.Test ? null : Time(run.LogicalDate)));
            if (inserted == 0)
                return;
            foreach (var taskId in taskIds)
            {
                db.Execute(
                    "INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) VALUES ($dag, $run, $task, $state, 0)",
                    ("$dag", run.DagId), ("$run", run.RunId), ("$task", taskId), ("$state", Name(TaskState.None)));
            }

            InsertEvent(db, new RunEvent { DagId = run.DagId, RunId = run.RunId, At = run.QueuedAt, From = "", To = Name(run.State), Message = $"{Name(run.RunType)} run created" });
        }, cancellationToken).ConfigureAwait(false);
        return await FindRunAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false)
            ?? ((await QueryAsync("SELECT * FROM dag_run WHERE dag_id = $dag AND date_key = $date", ReadRun, [("$dag", run.DagId), ("$date", Time(run.LogicalDate))], cancellationToken).ConfigureAwait(false)) is [var ofTheDate] ? ofTheDate : null)
            ?? throw new InvalidOperationException($"Run {run.RunId} of {run.DagId} was not stored.");
    }

    /// <inheritdoc />
    public Task DeleteRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        _writer.WriteAsync(db =>
        {
            db.Execute("DELETE FROM run_event WHERE dag_id = $dag AND run_id = $run", ("$dag", dagId), ("$run", runId));
            db.Execute("DELETE FROM task_attempt WHERE dag_id = $dag AND run_id = $run", ("$dag", dagId), ("$run", runId));
            db.Execute("DELETE FROM remote_handle WHERE attempt_key LIKE $prefix ESCAPE '!'", ("$prefix", LikePrefix($"{dagId}|{runId}|")));
            db.Execute("DELETE FROM dag_run WHERE dag_id = $dag AND run_id = $run", ("$dag", dagId), ("$run", runId));
        }, cancellationToken);

    /// <inheritdoc />
    public Task ClearRunAsync(string dagId, string runId, string conf, DateTimeOffset at, CancellationToken cancellationToken) =>
        _writer.WriteAsync(db =>
        {
            db.Execute(
                "UPDATE dag_run SET state = 'queued', conf = $conf, queued_at = $at, started_at = NULL, ended_at = NULL WHERE dag_id = $dag AND run_id = $run",
                ("$conf", conf), ("$at", Time(at)), ("$dag", dagId), ("$run", runId));
            db.Execute(
                "UPDATE task_instance SET state = 'none', started_at = NULL, ended_at = NULL, retry_at = NULL, output = NULL, log_file = NULL, error = NULL WHERE dag_id = $dag AND run_id = $run",
                ("$dag", dagId), ("$run", runId));
            InsertEvent(db, new RunEvent { DagId = dagId, RunId = runId, At = at, From = "", To = "queued", Message = "cleared to run again" });
        }, cancellationToken);

    /// <inheritdoc />
    public Task AddTaskInstancesAsync(string dagId, string runId, IReadOnlyList<string> taskIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        return taskIds.Count == 0 ? Task.CompletedTask : _writer.WriteAsync(db =>
        {
            foreach (var taskId in taskIds)
            {
                if (db.Execute(
                    "INSERT INTO task_instance (dag_id, run_id, task_id, state, try_number) VALUES ($dag, $run, $task, 'none', 0) ON CONFLICT DO NOTHING",
                    ("$dag", dagId), ("$run", runId), ("$task", taskId)) > 0)
                {
                    InsertEvent(db, new RunEvent { DagId = dagId, RunId = runId, TaskId = taskId, At = at, From = "", To = "none", Message = "task added to the DAG" });
                }
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DagRun?> FindRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM dag_run WHERE dag_id = $dag AND run_id = $run", ReadRun, [("$dag", dagId), ("$run", runId)], cancellationToken).ConfigureAwait(false)) is [var run] ? run : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DagRun>> ListRunsAsync(string dagId, IReadOnlyCollection<DagRunState>? states, CancellationToken cancellationToken)
    {
        var runs = await QueryAsync("SELECT * FROM dag_run WHERE dag_id = $dag ORDER BY logical_date DESC, queued_at DESC", ReadRun, [("$dag", dagId)], cancellationToken).ConfigureAwait(false);
        return states is null ? runs : [.. runs.Where(r => states.Contains(r.State))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DagRun>> ListRunsInStateAsync(IReadOnlyCollection<DagRunState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        var names = string.Join(", ", states.Select(s => $"'{Name(s)}'"));
        return await QueryAsync($"SELECT * FROM dag_run WHERE state IN ({names}) ORDER BY logical_date, queued_at", ReadRun, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task UpdateRunAsync(DagRun run, RunEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(change);
        return _writer.WriteAsync(db =>
        {
            db.Execute(
                "UPDATE dag_run SET state = $state, started_at = $started, ended_at = $ended WHERE dag_id = $dag AND run_id = $run",
                ("$state", Name(run.State)), ("$started", Time(run.StartedAt)), ("$ended", Time(run.EndedAt)), ("$dag", run.DagId), ("$run", run.RunId));
            InsertEvent(db, change);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskInstance>> TaskInstancesAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM task_instance WHERE dag_id = $dag AND run_id = $run", ReadTask, [("$dag", dagId), ("$run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task UpdateTaskAsync(TaskInstance task, RunEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(change);
        return _writer.WriteAsync(db => WriteTask(db, task, change), cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateTasksAsync(IReadOnlyList<(TaskInstance Task, RunEvent Change)> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Count == 0 ? Task.CompletedTask : _writer.WriteAsync(db =>
        {
            foreach (var (task, change) in changes)
                WriteTask(db, task, change);
        }, cancellationToken);
    }

    // Compare-and-set on the state the writer saw: a second writer (a runner that lost the run) cannot
    // overwrite what the holder wrote, and the whole transaction is rolled back when it tries.
    private static void WriteTask(SqliteCommandFactory db, TaskInstance task, RunEvent change)
    {
        var written = db.Execute(
                """
                UPDATE task_instance SET state = $state, try_number = $try, started_at = $started, ended_at = $ended, retry_at = $retry,
                    output = $output, log_file = $log, error = $error
                WHERE dag_id = $dag AND run_id = $run AND task_id = $task AND state = $from
                """,
                ("$state", Name(task.State)), ("$try", task.TryNumber), ("$started", Time(task.StartedAt)), ("$ended", Time(task.EndedAt)),
                ("$retry", Time(task.RetryAt)), ("$output", task.Output), ("$log", task.LogFile), ("$error", task.Error),
                ("$dag", task.DagId), ("$run", task.RunId), ("$task", task.TaskId), ("$from", change.From));
        if (written == 0)
        {
            var now = db.Row("SELECT state FROM task_instance WHERE dag_id = $dag AND run_id = $run AND task_id = $task", ("$dag", task.DagId), ("$run", task.RunId), ("$task", task.TaskId));
            throw new RunConflictException(
                $"Task '{task.TaskId}' of run {task.RunId} of {task.DagId} is {now?[0] ?? "gone"} in the store, not {change.From}: another runner changed it, so this one stops acting on the run.");
        }

        InsertEvent(db, change);
    }

    /// <inheritdoc />
    public Task RecordAttemptsAsync(IReadOnlyList<TaskAttempt> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        return attempts.Count == 0 ? Task.CompletedTask : _writer.WriteAsync(db =>
        {
            foreach (var attempt in attempts)
            {
                db.Execute(
                    """
                    INSERT INTO task_attempt (dag_id, run_id, task_id, try_number, state, started_at, ended_at, log_file, error, rendered_fields)
                    VALUES ($dag, $run, $task, $try, $state, $started, $ended, $log, $error, $rendered)
                    ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at,
                        log_file = excluded.log_file, error = excluded.error, rendered_fields = coalesce(excluded.rendered_fields, rendered_fields)
                    """,
                    ("$dag", attempt.DagId), ("$run", attempt.RunId), ("$task", attempt.TaskId), ("$try", attempt.TryNumber), ("$state", Name(attempt.State)),
                    ("$started", Time(attempt.StartedAt)), ("$ended", Time(attempt.EndedAt)), ("$log", attempt.LogFile), ("$error", attempt.Error), ("$rendered", attempt.RenderedFields));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM task_attempt WHERE dag_id = $dag AND run_id = $run ORDER BY task_id, try_number", r => StoredRows.Attempt(r, ReadTime), [("$dag", dagId), ("$run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunEvent>> EventsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM run_event WHERE dag_id = $dag AND run_id = $run ORDER BY id", ReadEvent, [("$dag", dagId), ("$run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task SaveHandleAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken) =>
        _writer.WriteAsync(db => db.Execute(
            "INSERT INTO remote_handle (attempt_key, kind, json) VALUES ($key, $kind, $json) ON CONFLICT (attempt_key, kind) DO UPDATE SET json = excluded.json",
            ("$key", attemptKey), ("$kind", kind), ("$json", json)), cancellationToken);

    /// <inheritdoc />
    public async Task<string?> LoadHandleAsync(string attemptKey, string kind, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT json FROM remote_handle WHERE attempt_key = $key AND kind = $kind", r => r.GetString(0), [("$key", attemptKey), ("$kind", kind)], cancellationToken).ConfigureAwait(false)) is [var json] ? json : null;

    /// <inheritdoc />
    public async Task<bool> HasHandleAsync(string attemptKey, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM remote_handle WHERE attempt_key = $key LIMIT 1", r => r.GetInt64(0), [("$key", attemptKey)], cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <inheritdoc />
    public Task ReplaceImportErrorsAsync(IReadOnlyList<ImportError> errors, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return _writer.WriteAsync(db =>
        {
            db.Execute("DELETE FROM import_error");
            foreach (var error in errors)
            {
                db.Execute(
                    "INSERT INTO import_error (file, source_file, line, column_number, code, message, recorded_at) VALUES ($file, $source, $line, $column, $code, $message, $at)",
                    ("$file", error.File), ("$source", error.SourceFile), ("$line", error.Line), ("$column", error.Column), ("$code", error.Code), ("$message", error.Message), ("$at", Time(at)));
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ImportError>> ImportErrorsAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM import_error ORDER BY id", StoredRows.ImportError, [], cancellationToken);

    /// <inheritdoc />
    public Task SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken) =>
        _writer.WriteAsync(db => db.Execute(
            "INSERT INTO dag_pause (dag_id, paused) VALUES ($dag, $paused) ON CONFLICT (dag_id) DO UPDATE SET paused = excluded.paused",
            ("$dag", dagId), ("$paused", paused ? 1 : 0)), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> PausedAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT dag_id FROM dag_pause WHERE paused = 1", r => r.GetString(0), [], cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(read(reader));
        return rows;
    }

    // A LIKE pattern for what starts with the text, its own % and _ escaped (with !).
    private static string LikePrefix(string text) =>
        text.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal) + "%";

    private static void InsertEvent(SqliteCommandFactory db, RunEvent change) => db.Execute(
        """
        INSERT INTO run_event (dag_id, run_id, task_id, try_number, at, from_state, to_state, message)
        VALUES ($dag, $run, $task, $try, $at, $from, $to, $message)
        """,
        ("$dag", change.DagId), ("$run", change.RunId), ("$task", change.TaskId), ("$try", change.TryNumber), ("$at", Time(change.At)),
        ("$from", change.From), ("$to", change.To), ("$message", change.Message));

}
