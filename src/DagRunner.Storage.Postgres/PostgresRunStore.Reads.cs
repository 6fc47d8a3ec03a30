using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Storage.Postgres;

// What the engine and the front ends read; the bounded listings use the (dag_id, logical_date, queued_at) index.
public sealed partial class PostgresRunStore
{
    /// <inheritdoc />
    public async Task<DagRun?> FindRunAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT * FROM dag_run WHERE dag_id = @dag AND run_id = @run", ReadRun, [("dag", dagId), ("run", runId)], cancellationToken).ConfigureAwait(false)) is [var run] ? run : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DagRun>> ListRunsAsync(string dagId, IReadOnlyCollection<DagRunState>? states, CancellationToken cancellationToken)
    {
        var runs = await QueryAsync("SELECT * FROM dag_run WHERE dag_id = @dag ORDER BY logical_date DESC, queued_at DESC", ReadRun, [("dag", dagId)], cancellationToken).ConfigureAwait(false);
        return states is null ? runs : [.. runs.Where(r => states.Contains(r.State))];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> ListRunsInStateAsync(IReadOnlyCollection<DagRunState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        return QueryAsync("SELECT * FROM dag_run WHERE state = ANY(@states) ORDER BY logical_date, queued_at", ReadRun,
            [("states", states.Select(s => Name(s)).ToArray())], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> LatestRunsAsync(string dagId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        StoredRows.CheckLimit(limit, nameof(limit));
        return QueryAsync("SELECT * FROM dag_run WHERE dag_id = @dag ORDER BY logical_date DESC, queued_at DESC LIMIT @limit", ReadRun, [("dag", dagId), ("limit", limit)], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> LatestRunsOfEveryDagAsync(int perDag, CancellationToken cancellationToken)
    {
        StoredRows.CheckLimit(perDag, nameof(perDag));
        // For each DAG id, a seek to its newest runs (LATERAL): the cost follows the DAGs and the marks shown.
        return QueryAsync(
            """
            SELECT r.* FROM (SELECT DISTINCT dag_id FROM dag_run) AS d
            CROSS JOIN LATERAL (SELECT * FROM dag_run AS x WHERE x.dag_id = d.dag_id ORDER BY x.logical_date DESC, x.queued_at DESC LIMIT @limit) AS r
            ORDER BY r.dag_id, r.logical_date DESC, r.queued_at DESC
            """,
            ReadRun, [("limit", perDag)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TaskInstance>> TaskInstancesOfRunsAsync(string dagId, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        StoredRows.CheckRunIds(runIds);
        if (runIds.Count == 0)
            return [];
        return await QueryAsync("SELECT * FROM task_instance WHERE dag_id = @dag AND run_id = ANY(@runs)", ReadTask, [("dag", dagId), ("runs", runIds.ToArray())], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskInstance>> TaskInstancesAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM task_instance WHERE dag_id = @dag AND run_id = @run", ReadTask, [("dag", dagId), ("run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskAttempt>> AttemptsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM task_attempt WHERE dag_id = @dag AND run_id = @run ORDER BY task_id COLLATE \"C\", try_number", ReadAttempt, [("dag", dagId), ("run", runId)], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunEvent>> EventsAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM run_event WHERE dag_id = @dag AND run_id = @run ORDER BY id", ReadEvent, [("dag", dagId), ("run", runId)], cancellationToken);

    /// <inheritdoc />
    public async Task<string?> LoadHandleAsync(string attemptKey, string kind, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT json FROM remote_handle WHERE attempt_key = @key AND kind = @kind", [("key", attemptKey), ("kind", kind)], cancellationToken).ConfigureAwait(false) as string;

    /// <inheritdoc />
    public async Task<bool> HasHandleAsync(string attemptKey, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT 1 FROM remote_handle WHERE attempt_key = @key LIMIT 1", [("key", attemptKey)], cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public Task<IReadOnlyList<ImportError>> ImportErrorsAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT * FROM import_error ORDER BY id", ReadImportError, [], cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> PausedAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT dag_id FROM dag_pause WHERE paused", r => r.GetString(0), [], cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
}
