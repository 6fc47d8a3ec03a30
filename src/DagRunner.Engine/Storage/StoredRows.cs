using System.Data.Common;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Storage;

/// <summary>
/// The run store's rows as records, and the names states are stored under: one mapping for every store built on
/// ADO.NET (SQLite, PostgreSQL), so their tables are read the same way. Only how a time is stored differs; each
/// store hands in how it reads one (<paramref name="time"/> in each reader).
/// </summary>
public static class StoredRows
{
    /// <summary>Airflow's spelling of a state: <c>up_for_retry</c>, <c>upstream_failed</c>.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => TaskStates.Snake(value.ToString());

    /// <summary>A task state from its stored name.</summary>
    public static TaskState ParseTaskState(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Enum.Parse<TaskState>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
    }

    /// <summary>Throws unless a listing's <paramref name="limit"/> is between 1 and <see cref="IRunStore.MaxListed"/>.</summary>
    public static void CheckLimit(int limit, string name)
    {
        if (limit is < 1 or > IRunStore.MaxListed)
            throw new ArgumentOutOfRangeException(name, limit, $"Between 1 and {IRunStore.MaxListed}.");
    }

    /// <summary>Throws unless <paramref name="runIds"/> holds at most <see cref="IRunStore.MaxListed"/> ids (one query's worth).</summary>
    public static void CheckRunIds(IReadOnlyCollection<string> runIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count > IRunStore.MaxListed)
            throw new ArgumentOutOfRangeException(nameof(runIds), runIds.Count, $"At most {IRunStore.MaxListed} run ids in one query.");
    }

    public static DagRun Run(DbDataReader row, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        DagId = Text(row, "dag_id")!,
        RunId = Text(row, "run_id")!,
        RunType = Enum.Parse<RunType>(Text(row, "run_type")!, ignoreCase: true),
        LogicalDate = Time(row, "logical_date", time)!.Value,
        DataIntervalStart = Time(row, "data_interval_start", time)!.Value,
        DataIntervalEnd = Time(row, "data_interval_end", time)!.Value,
        State = Enum.Parse<DagRunState>(Text(row, "state")!, ignoreCase: true),
        Conf = Text(row, "conf")!,
        QueuedAt = Time(row, "queued_at", time)!.Value,
        StartedAt = Time(row, "started_at", time),
        EndedAt = Time(row, "ended_at", time),
    };

    public static TaskInstance Task(DbDataReader row, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        DagId = Text(row, "dag_id")!,
        RunId = Text(row, "run_id")!,
        TaskId = Text(row, "task_id")!,
        State = ParseTaskState(Text(row, "state")!),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        StartedAt = Time(row, "started_at", time),
        EndedAt = Time(row, "ended_at", time),
        RetryAt = Time(row, "retry_at", time),
        Output = Text(row, "output"),
        LogFile = Text(row, "log_file"),
        Error = Text(row, "error"),
    };

    public static TaskAttempt Attempt(DbDataReader row, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        DagId = Text(row, "dag_id")!,
        RunId = Text(row, "run_id")!,
        TaskId = Text(row, "task_id")!,
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        State = ParseTaskState(Text(row, "state")!),
        StartedAt = Time(row, "started_at", time),
        EndedAt = Time(row, "ended_at", time)!.Value,
        LogFile = Text(row, "log_file"),
        Error = Text(row, "error"),
        RenderedFields = Text(row, "rendered_fields"),
    };

    public static RunEvent Event(DbDataReader row, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        DagId = Text(row, "dag_id")!,
        RunId = Text(row, "run_id")!,
        TaskId = Text(row, "task_id"),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        At = Time(row, "at", time)!.Value,
        From = Text(row, "from_state")!,
        To = Text(row, "to_state")!,
        Message = Text(row, "message"),
    };

    public static ImportError ImportError(DbDataReader row) => new()
    {
        File = Text(row, "file")!,
        SourceFile = Text(row, "source_file"),
        Line = row.GetInt32(row.GetOrdinal("line")),
        Column = row.GetInt32(row.GetOrdinal("column_number")),
        Code = Text(row, "code"),
        Message = Text(row, "message")!,
    };

    private static DateTimeOffset? Time(DbDataReader row, string column, Func<DbDataReader, int, DateTimeOffset> time)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : time(row, ordinal);
    }

    private static string? Text(DbDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
