using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

/// <summary>
/// The schema on PostgreSQL, as numbered migrations applied in order. Every process that opens the store runs
/// <see cref="ApplyAsync"/>: in one transaction that first takes a transaction-level advisory lock, so of
/// several schedulers starting at once on an empty database one migrates and the others wait and find the work
/// done. <c>schema_version</c> records the last step; a database newer than this code is refused. Add a step at
/// the end; never edit one that shipped. The tables are SQLite's, with PostgreSQL's types (timestamptz, bigint
/// identities, boolean).
/// </summary>
internal static class PostgresMigrations
{
    // An arbitrary constant, the same in every DagRunner: the advisory lock all migrating processes queue on.
    private const long MigrationLock = 0x4461_6752_756E_6E72; // "DagRunnr"

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE dag_run (
            dag_id text NOT NULL,
            run_id text NOT NULL,
            run_type text NOT NULL,
            logical_date timestamptz NOT NULL,
            data_interval_start timestamptz NOT NULL,
            data_interval_end timestamptz NOT NULL,
            state text NOT NULL,
            conf text NOT NULL,
            queued_at timestamptz NOT NULL,
            started_at timestamptz,
            ended_at timestamptz,
            date_key timestamptz,
            claimed_by text,
            claim_heartbeat_at timestamptz,
            PRIMARY KEY (dag_id, run_id)
        );
        CREATE UNIQUE INDEX dag_run_one_per_date ON dag_run (dag_id, date_key);
        CREATE INDEX dag_run_by_state ON dag_run (state);
        CREATE INDEX dag_run_latest ON dag_run (dag_id, logical_date, queued_at);
        CREATE TABLE task_instance (
            dag_id text NOT NULL,
            run_id text NOT NULL,
            task_id text NOT NULL,
            state text NOT NULL,
            try_number integer NOT NULL,
            started_at timestamptz,
            ended_at timestamptz,
            retry_at timestamptz,
            output text,
            log_file text,
            error text,
            PRIMARY KEY (dag_id, run_id, task_id),
            FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
        );
        CREATE INDEX task_instance_by_state ON task_instance (state);
        CREATE TABLE run_event (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            dag_id text NOT NULL,
            run_id text NOT NULL,
            task_id text,
            try_number integer NOT NULL,
            at timestamptz NOT NULL,
            from_state text NOT NULL,
            to_state text NOT NULL,
            message text
        );
        CREATE INDEX run_event_by_run ON run_event (dag_id, run_id, id);
        CREATE TABLE remote_handle (
            attempt_key text NOT NULL,
            kind text NOT NULL,
            json text NOT NULL,
            PRIMARY KEY (attempt_key, kind)
        );
        CREATE TABLE dag_pause (
            dag_id text PRIMARY KEY,
            paused boolean NOT NULL
        );
        CREATE TABLE import_error (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            file text NOT NULL,
            source_file text,
            line integer NOT NULL,
            column_number integer NOT NULL,
            code text,
            message text NOT NULL,
            recorded_at timestamptz NOT NULL
        );
        CREATE TABLE task_attempt (
            dag_id text NOT NULL,
            run_id text NOT NULL,
            task_id text NOT NULL,
            try_number integer NOT NULL,
            state text NOT NULL,
            started_at timestamptz,
            ended_at timestamptz NOT NULL,
            log_file text,
            error text,
            rendered_fields text,
            PRIMARY KEY (dag_id, run_id, task_id, try_number),
            FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
        );
        """,
        // Issue 17: tasks shared by several processes. A task's holder (the worker running its attempt) and pool
        // (counted across processes); a run's flag that its tasks go through the queue; workers' heartbeats.
        """
        ALTER TABLE task_instance ADD COLUMN held_by text, ADD COLUMN pool text;
        ALTER TABLE dag_run ADD COLUMN task_queue boolean NOT NULL DEFAULT false;
        CREATE INDEX task_instance_scheduled ON task_instance (dag_id, run_id, task_id) WHERE state = 'scheduled';
        CREATE INDEX task_instance_held ON task_instance (held_by) WHERE held_by IS NOT NULL;
        CREATE TABLE worker (
            owner text PRIMARY KEY,
            heartbeat_at timestamptz NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this code writes.</summary>
    public static int Latest => Steps.Length;

    /// <summary>Brings the database to <see cref="Latest"/>; returns how many steps this call applied (0 when another
    /// process had already done them).</summary>
    /// <exception cref="RunStoreException">The database is newer than this code.</exception>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string where, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", cancellationToken).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection, transaction))
        {
            var found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            var version = found is int number ? number : 0;
            if (version > Latest)
                throw new RunStoreException($"The run store {where} has schema version {version}, newer than this DagRunner's {Latest}: use a newer DagRunner.");
            for (var step = version; step < Latest; step++)
                await ExecuteAsync(connection, transaction, Steps[step], cancellationToken).ConfigureAwait(false);
            if (version < Latest)
                await ExecuteAsync(connection, transaction, $"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({Latest});", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Latest - version;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
