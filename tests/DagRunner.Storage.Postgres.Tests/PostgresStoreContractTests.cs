using DagRunner.Engine.Storage;
using DagRunner.Storage.Contract;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>The run store contract on a real PostgreSQL: each test has a database of its own, and each open is
/// another store instance (its own connection pool) on it, as another process would be.</summary>
public sealed class PostgresStoreContractTests(PostgresFixture postgres) : RunStoreContract, IClassFixture<PostgresFixture>
{
    private string? _database;

    protected override async Task<IRunStore> OpenAsync()
    {
        _database ??= await postgres.Server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        return await PostgresRunStore.OpenConnectionStringAsync(_database, "test", TestContext.Current.CancellationToken);
    }
}
