using System.Globalization;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using Npgsql;

namespace DagRunner.Storage.Postgres;

public sealed partial class PostgresRunStore
{
    private static DagRun ReadRun(NpgsqlDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        RunType = Enum.Parse<RunType>(row.GetString(row.GetOrdinal("run_type")), ignoreCase: true),
        LogicalDate = Time(row, "logical_date")!.Value,
        DataIntervalStart = Time(row, "data_interval_start")!.Value,
        DataIntervalEnd = Time(row, "data_interval_end")!.Value,
        State = Enum.Parse<DagRunState>(row.GetString(row.GetOrdinal("state")), ignoreCase: true),
        Conf = row.GetString(row.GetOrdinal("conf")),
        QueuedAt = Time(row, "queued_at")!.Value,
        StartedAt = Time(row, "started_at"),
        EndedAt = Time(row, "ended_at"),
    };

    private static TaskInstance ReadTask(NpgsqlDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        TaskId = row.GetString(row.GetOrdinal("task_id")),
        State = ParseTaskState(row.GetString(row.GetOrdinal("state"))),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        StartedAt = Time(row, "started_at"),
        EndedAt = Time(row, "ended_at"),
        RetryAt = Time(row, "retry_at"),
        Output = Text(row, "output"),
        LogFile = Text(row, "log_file"),
        Error = Text(row, "error"),
    };

    private static TaskAttempt ReadAttempt(NpgsqlDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        TaskId = row.GetString(row.GetOrdinal("task_id")),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        State = ParseTaskState(row.GetString(row.GetOrdinal("state"))),
        StartedAt = Time(row, "started_at"),
        EndedAt = Time(row, "ended_at")!.Value,
        LogFile = Text(row, "log_file"),
        Error = Text(row, "error"),
        RenderedFields = Text(row, "rendered_fields"),
    };

    private static RunEvent ReadEvent(NpgsqlDataReader row) => new()
    {
        DagId = row.GetString(row.GetOrdinal("dag_id")),
        RunId = row.GetString(row.GetOrdinal("run_id")),
        TaskId = Text(row, "task_id"),
        TryNumber = row.GetInt32(row.GetOrdinal("try_number")),
        At = Time(row, "at")!.Value,
        From = row.GetString(row.GetOrdinal("from_state")),
        To = row.GetString(row.GetOrdinal("to_state")),
        Message = Text(row, "message"),
    };

    /// <summary>Airflow's spelling of a state: <c>up_for_retry</c>, <c>upstream_failed</c>.</summary>
    private static string Name<T>(T value)
        where T : struct, Enum => TaskStates.Snake(value.ToString());

    private static TaskState ParseTaskState(string name) => Enum.Parse<TaskState>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    // UTC, to the microsecond: what timestamptz keeps, so what is read back equals what was written.
    private static DateTimeOffset? Time(DateTimeOffset? value) =>
        value is { } time ? new DateTimeOffset(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero) : null;

    private static DateTimeOffset? Time(NpgsqlDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(row.GetDateTime(ordinal), DateTimeKind.Utc));
    }

    private static string Text(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "never";

    private static string? Text(NpgsqlDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }
}
