using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>The schema on a real PostgreSQL: many processes opening an empty database at once migrate it once,
/// and a database newer than the code is refused.</summary>
public sealed class PostgresMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyOpeningAtOnce_OnAnEmptyDatabase_MigrateItOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);

        // Eight connections, as eight schedulers starting together, each migrating in its own transaction.
        var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(Token);
            return await PostgresMigrations.ApplyAsync(connection, "test", Token);
        }));

        Assert.Equal(PostgresMigrations.Latest, applied.Sum());
        Assert.Single(applied, count => count > 0);
        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync(Token);
        Assert.Equal(1L, await ScalarAsync(check, "SELECT count(*) FROM schema_version"));
        Assert.Equal(PostgresMigrations.Latest, await ScalarAsync(check, "SELECT version FROM schema_version"));
        Assert.Equal(9L, await ScalarAsync(check, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task OneRunPerLogicalDate_IsAUniqueKey_TestRunsAside()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Token);
        await PostgresMigrations.ApplyAsync(connection, "test", Token);
        const string Insert = """
            INSERT INTO dag_run (dag_id, run_id, run_type, logical_date, data_interval_start, data_interval_end, state, conf, queued_at, date_key)
            VALUES ('etl', @run, 'scheduled', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', 'queued', '{}', now(), @key)
            """;

        async Task InsertAsync(string run, object key)
        {
            await using var command = new NpgsqlCommand(Insert, connection);
            command.Parameters.AddWithValue("run", run);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(Token);
        }

        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await InsertAsync("scheduled__1", day);
        var second = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync("scheduled__2", day));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, second.SqlState);
        // Test runs keep no date key: any number of them per date.
        await InsertAsync("test__1", DBNull.Value);
        await InsertAsync("test__2", DBNull.Value);
    }

    [Fact]
    public async Task ADatabaseNewerThanTheCode_IsRefused()
    {
        var database = await postgres.Server.CreateDatabaseAsync(Token);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Token);
        await PostgresMigrations.ApplyAsync(connection, "test", Token);
        await using (var bump = new NpgsqlCommand($"UPDATE schema_version SET version = {PostgresMigrations.Latest + 1}", connection))
            await bump.ExecuteNonQueryAsync(Token);

        var error = await Assert.ThrowsAsync<RunStoreException>(() => PostgresMigrations.ApplyAsync(connection, "postgres://db/dagrunner", Token));

        Assert.Contains($"schema version {PostgresMigrations.Latest + 1}, newer than this DagRunner's {PostgresMigrations.Latest}", error.Message, StringComparison.Ordinal);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Token);
    }
}
