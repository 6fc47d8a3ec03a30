using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

// One write is one transaction on a pooled connection; a deadlock or serialization failure between processes
// is tried again (PostgreSQL rolled it back whole); any other database error is a RunStoreException naming the store.
public sealed partial class PostgresRunStore
{
    private const int MostTries = 5;

    private async Task WriteAsync(Func<Db, Task> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await write(new Db(connection, transaction, cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MostTries)
            {
                // rolled back whole: written again
            }
            catch (NpgsqlException e) when (e is not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                throw new RunStoreException($"The run store {Where} could not be written: {e.Message}", e);
            }
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _source.CreateCommand(sql);
            Add(command, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add(read(reader));
            return rows;
        }
        catch (NpgsqlException e)
        {
            throw new RunStoreException($"The run store {Where} could not be read: {e.Message}", e);
        }
    }

    private async Task<object?> ScalarAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _source.CreateCommand(sql);
            Add(command, parameters);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
        catch (NpgsqlException e)
        {
            throw new RunStoreException($"The run store {Where} could not be read: {e.Message}", e);
        }
    }

    private static void Add(NpgsqlCommand command, IEnumerable<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }

    /// <summary>The statements of one write transaction.</summary>
    private sealed class Db(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Add(command, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Add(command, parameters);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }

        public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Add(command, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(values);
            }

            return rows;
        }

        public async Task<List<T>> ReadAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Add(command, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add(read(reader));
            return rows;
        }

        /// <summary>Several statements in one round trip, each with its own snapshot (read committed), in order;
        /// <paramref name="read"/> gets each row with the index of the statement that returned it.</summary>
        public async Task BatchAsync(IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> statements, Action<int, NpgsqlDataReader>? read = null)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            // Batches carry arrays (unnest): a generic plan guesses their size and may scan the table, a custom plan
            // sees their length and probes the primary key. Set for the transaction, not the session (a pooler such
            // as PgBouncer refuses session options).
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"));
            foreach (var (sql, parameters) in statements)
            {
                var command = new NpgsqlBatchCommand(sql);
                foreach (var (name, value) in parameters)
                    command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            // The setting first: its one row is not one of the statements'.
            var index = -1;
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (index >= 0)
                        read?.Invoke(index, reader);
                }

                index++;
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        public async Task<object?[]?> RowAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Add(command, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return null;
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            return values;
        }
    }
}
