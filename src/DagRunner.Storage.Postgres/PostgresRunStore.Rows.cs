using System.Data.Common;
using System.Globalization;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

// Rows are read by the mapping every store shares (StoredRows); only how timestamptz is read is PostgreSQL's.
public sealed partial class PostgresRunStore
{
    private static DagRun ReadRun(NpgsqlDataReader row) => StoredRows.Run(row, ReadTime);

    private static TaskInstance ReadTask(NpgsqlDataReader row) => StoredRows.Task(row, ReadTime);

    private static TaskAttempt ReadAttempt(NpgsqlDataReader row) => StoredRows.Attempt(row, ReadTime);

    private static RunEvent ReadEvent(NpgsqlDataReader row) => StoredRows.Event(row, ReadTime);

    private static ImportError ReadImportError(NpgsqlDataReader row) => StoredRows.ImportError(row);

    private static string Name<T>(T value)
        where T : struct, Enum => StoredRows.Name(value);

    // UTC, to the microsecond: what timestamptz keeps, so what is read back equals what was written.
    private static DateTimeOffset? Time(DateTimeOffset? value) =>
        value is { } time ? new DateTimeOffset(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero) : null;

    private static DateTimeOffset ReadTime(DbDataReader row, int ordinal) =>
        new(DateTime.SpecifyKind(row.GetDateTime(ordinal), DateTimeKind.Utc));

    private static string Text(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "never";
}
