using DagRunner.Testing.Postgres;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>One throwaway PostgreSQL cluster for a test class; each test takes a fresh database of it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
