using System.Data.Common;
using DagRunner.Testing;
using DagRunner.Testing.Postgres;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The real executable keeping its runs in a real PostgreSQL (<c>--store</c>, <c>DAGRUNNER_STORE</c>):
/// a run written by one process is read by another, no SQLite file is made, and the store's password is
/// never printed.</summary>
public sealed class PostgresStoreTests : IDisposable
{
    private const string Password = "s3cret-pg-pass";
    private readonly TempFolder _home = new("dagrunner-pg-home");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task DagsTest_WritesItsRunToPostgres_DagsStateReadsItFromAnotherProcess()
    {
        await using var postgres = await PostgresServer.StartAsync(Token);
        var database = new DbConnectionStringBuilder { ConnectionString = await postgres.CreateDatabaseAsync(Token) }["Database"];
        // Trust authentication takes any password: the test checks it is never shown.
        var store = $"postgres://postgres:{Password}@{postgres.Host}:{postgres.Port}/{database}";

        var (exit, output, error) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot, "dags", "test", "csharp_only", "--store", store, "--home", _home.Path);
        var (stateExit, state, stateError) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot,
            new Dictionary<string, string> { ["DAGRUNNER_STORE"] = store }, "dags", "state", "csharp_only", "--home", _home.Path);

        Assert.True(exit == 0, output + error);
        Assert.True(stateExit == 0, state + stateError);
        Assert.Contains("success", state, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.Path, "state.db")), "a SQLite store was made beside the PostgreSQL one");
        foreach (var text in new[] { output, error, state, stateError })
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreThatCannotBeReached_IsAClearError_WithoutThePassword()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot, "dags", "test", "csharp_only",
            "--store", $"postgres://dagrunner:{Password}@127.0.0.1:1/dagrunner?timeout=2", "--home", _home.Path);

        Assert.NotEqual(0, exit);
        Assert.Contains("postgres://dagrunner:***@127.0.0.1:1/dagrunner", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output + error, StringComparison.Ordinal);
    }
}
