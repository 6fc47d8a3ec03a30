using DagRunner.Engine.Runs;

namespace DagRunner.Storage.Sqlite;

// The latest runs of a DAG, limited in SQL (the (dag_id, logical_date) index finds them), so a page of
// the last 25 runs does not read a DAG's whole history.
public sealed partial class SqliteRunStore
{
    private const string Latest = "SELECT run_id FROM dag_run WHERE dag_id = $dag ORDER BY logical_date DESC, queued_at DESC LIMIT $count";

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRun>> LatestRunsAsync(string dagId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return QueryAsync("SELECT * FROM dag_run WHERE dag_id = $dag ORDER BY logical_date DESC, queued_at DESC LIMIT $count", ReadRun, [("$dag", dagId), ("$count", count)], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskInstance>> TaskInstancesOfLatestRunsAsync(string dagId, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return QueryAsync($"SELECT * FROM task_instance WHERE dag_id = $dag AND run_id IN ({Latest})", ReadTask, [("$dag", dagId), ("$count", count)], cancellationToken);
    }
}
