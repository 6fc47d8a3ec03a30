using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite;

/// <summary>
/// The schema, as numbered migrations applied in order, each in its own transaction, with
/// <c>PRAGMA user_version</c> recording the last one applied. A database newer than this code is
/// refused rather than guessed at. Add a migration at the end; never edit one that shipped.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE dag_run (
            dag_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            run_type TEXT NOT NULL,
            logical_date TEXT NOT NULL,
            data_interval_start TEXT NOT NULL,
            data_interval_end TEXT NOT NULL,
            state TEXT NOT NULL,
            conf TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            PRIMARY KEY (dag_id, run_id)
        );
        CREATE INDEX dag_run_by_state ON dag_run (state);
        CREATE INDEX dag_run_by_date ON dag_run (dag_id, logical_date);
        CREATE TABLE task_instance (
            dag_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            state TEXT NOT NULL,
            try_number INTEGER NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            retry_at TEXT,
            output TEXT,
            log_file TEXT,
            error TEXT,
            PRIMARY KEY (dag_id, run_id, task_id),
            FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
        );
        CREATE TABLE run_event (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dag_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            task_id TEXT,
            try_number INTEGER NOT NULL,
            at TEXT NOT NULL,
            from_state TEXT NOT NULL,
            to_state TEXT NOT NULL,
            message TEXT
        );
        CREATE INDEX run_event_by_run ON run_event (dag_id, run_id, id);
        CREATE TABLE remote_handle (
            attempt_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (attempt_key, kind)
        );
        CREATE TABLE dag_pause (
            dag_id TEXT PRIMARY KEY,
            paused INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE import_error (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            file TEXT NOT NULL,
            source_file TEXT,
            line INTEGER NOT NULL,
            column_number INTEGER NOT NULL,
            code TEXT,
            message TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE task_attempt (
            dag_id TEXT NOT NULL,
            run_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            try_number INTEGER NOT NULL,
            state TEXT NOT NULL,
            started_at TEXT,
            ended_at TEXT NOT NULL,
            log_file TEXT,
            error TEXT,
            rendered_fields TEXT,
            PRIMARY KEY (dag_id, run_id, task_id, try_number),
            FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
        );
        """,
        // One run per logical date (test runs aside: `dags test` keeps its own run), and the claim of the
        // process executing a run. A store made before this may hold two runs of one date (the bug this
        // fixes); the oldest keeps the date, the others stay as history without it.
        """
        ALTER TABLE dag_run ADD COLUMN date_key TEXT;
        ALTER TABLE dag_run ADD COLUMN claimed_by TEXT;
        ALTER TABLE dag_run ADD COLUMN claim_heartbeat_at TEXT;
        UPDATE dag_run SET date_key = logical_date
            WHERE run_type <> 'test' AND rowid IN (SELECT min(rowid) FROM dag_run WHERE run_type <> 'test' GROUP BY dag_id, logical_date);
        CREATE UNIQUE INDEX dag_run_one_per_date ON dag_run (dag_id, date_key);
        """,
        // A DAG's latest runs (the UI's marks and grid, `dags state`) in the order they are listed, read
        // from the index without a sort; it covers what the (dag_id, logical_date) index served.
        """
        CREATE INDEX dag_run_latest ON dag_run (dag_id, logical_date, queued_at);
        DROP INDEX dag_run_by_date;
        """,
    ];

    /// <summary>The first <paramref name="version"/> steps: a store as an older DagRunner left it (tests of upgrades).</summary>
    internal static IEnumerable<string> StepsUpTo(int version) => Steps.Take(version);

    /// <summary>The schema version this code writes.</summary>
    public static int Latest => Steps.Length;

    public static void Apply(SqliteConnection connection, string path)
    {
        while (true)
        {
            // Each step reads the version under the write lock (BEGIN IMMEDIATE): two processes opening
            // a new store at once (a scheduler and `dags state`) would otherwise both create the tables.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Latest)
                throw new DagRunner.Engine.Storage.RunStoreException($"The run store {path} has schema version {version}, newer than this DagRunner's {Latest}: use a newer DagRunner, or choose another --home.");
            if (version == Latest)
                return;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Steps[version] + $"\nPRAGMA user_version = {version + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
