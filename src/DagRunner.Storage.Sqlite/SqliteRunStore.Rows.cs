using System.Data.Common;
using System.Globalization;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

// Rows are read by the mapping every store shares (StoredRows); only how a time is stored is SQLite's:
// UTC ISO 8601 text, which sorts as it compares.
public sealed partial class SqliteRunStore
{
    private static DagRun ReadRun(SqliteDataReader row) => StoredRows.Run(row, ReadTime);

    private static TaskInstance ReadTask(SqliteDataReader row) => StoredRows.Task(row, ReadTime);

    private static RunEvent ReadEvent(SqliteDataReader row) => StoredRows.Event(row, ReadTime);

    /// <summary>Airflow's spelling of a state: <c>up_for_retry</c>, <c>upstream_failed</c>.</summary>
    internal static string Name<T>(T value)
        where T : struct, Enum => StoredRows.Name(value);

    private static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTime(DbDataReader row, int ordinal) => ParseTime(row.GetString(ordinal));

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
