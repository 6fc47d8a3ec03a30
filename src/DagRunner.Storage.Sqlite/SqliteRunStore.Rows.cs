using System.Globalization;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

public sealed partial class SqliteRunStore
{
    private static DagRun ReadRun(SqliteDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        RunType = Enum.Parse<RunType>(row.GetString(row.GetOrdinal("run_type")), ignoreCase: true),
        LogicalDate = ReadTime(row, "logical_date")!.Value,
        DataIntervalStart = ReadTime(row, "data_interval_start")!.Value,
        DataIntervalEnd = ReadTime(row, "data_interval_end")!.Value,
        State = Enum.Parse<DagRunState>(row.GetString(row.GetOrdinal("state")), ignoreCase: true),
        Conf = row.GetString(row.GetOrdinal("conf")),
        QueuedAt = ReadTime(row, "queued_at")!.Value,
        StartedAt = ReadTime(row, "started_at"),
        EndedAt = ReadTime(row, "ended_at"),
    };

    private static TaskInstance ReadTask(SqliteDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        TaskId = row.GetString(row.GetOrdinal("task_id")),
        State = ParseTaskState(row.GetString(row.GetOrdinal("state"))),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        StartedAt = ReadTime(row, "started_at"),
        EndedAt = ReadTime(row, "ended_at"),
        RetryAt = ReadTime(row, "retry_at"),
        Output = ReadText(row, "output"),
        LogFile = ReadText(row, "log_file"),
        Error = ReadText(row, "error"),
    };

    private static RunEvent ReadEvent(SqliteDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        TaskId = ReadText(row, "task_id"),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        At = ReadTime(row, "at")!.Value,
        From = row.GetString(row.GetOrdinal("from_state")),
        To = row.GetString(row.GetOrdinal("to_state")),
        Message = ReadText(row, "message"),
    };

    /// <summary>Airflow's spelling of a state: <c>up_for_retry</c>, <c>upstream_failed</c>.</summary>
    internal static string Name<T>(T value)
        where T : struct, Enum => TaskStates.Snake(value.ToString());

    private static TaskState ParseTaskState(string name) => Enum.Parse<TaskState>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    private static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadTime(SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : ParseTime(row.GetString(ordinal));
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string? ReadText(SqliteDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
