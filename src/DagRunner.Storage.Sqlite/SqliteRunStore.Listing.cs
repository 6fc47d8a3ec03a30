using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;

namespace DagRunner.Storage.Sqlite;

// The bounded listings a front end pages with (the web UI's DAGs page and grid): each one query,
// served by the (dag_id, logical_date, queued_at) index, whatever the number of runs kept.
public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> LatestRunsAsync(string dagId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        StoredRows.CheckLimit(limit, nameof(limit));
        return QueryAsync(
            "SELECT * FROM dag_run WHERE dag_id = $dag ORDER BY logical_date DESC, queued_at DESC LIMIT $limit",
            ReadRun, [("$dag", dagId), ("$limit", limit)], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> LatestRunsOfEveryDagAsync(int perDag, CancellationToken cancellationToken)
    {
        StoredRows.CheckLimit(perDag, nameof(perDag));
        // For each DAG id (read from the index alone), a seek to its newest runs: the cost follows the
        // DAGs and the marks shown, not the history kept.
        return QueryAsync(
            """
            SELECT r.* FROM (SELECT DISTINCT dag_id FROM dag_run) AS d
            JOIN dag_run AS r ON r.dag_id = d.dag_id AND r.run_id IN
                (SELECT x.run_id FROM dag_run AS x WHERE x.dag_id = d.dag_id ORDER BY x.logical_date DESC, x.queued_at DESC LIMIT $limit)
            ORDER BY r.dag_id, r.logical_date DESC, r.queued_at DESC
            """,
            ReadRun, [("$limit", perDag)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TaskInstance>> TaskInstancesOfRunsAsync(string dagId, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        StoredRows.CheckRunIds(runIds);
        if (runIds.Count == 0)
            return [];
        var parameters = new List<(string, object?)>(runIds.Count + 1) { ("$dag", dagId) };
        parameters.AddRange(runIds.Select((id, i) => ($"$r{i}", (object?)id)));
        var names = string.Join(", ", parameters.Skip(1).Select(p => p.Item1));
        return await QueryAsync($"SELECT * FROM task_instance WHERE dag_id = $dag AND run_id IN ({names})", ReadTask, parameters, cancellationToken).ConfigureAwait(false);
    }
}
