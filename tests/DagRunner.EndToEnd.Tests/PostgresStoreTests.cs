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
        // The web UI of a third process, with a home of its own, shows the same run from the same store.
        var page = await WebApiAsync(store, "/api/dags");
        Assert.Contains("\"dagId\":\"csharp_only\"", page, StringComparison.Ordinal);
        Assert.Contains("manual__", page, StringComparison.Ordinal);
        Assert.Contains("success", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, page, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.Path, "state.db")), "a SQLite store was made beside the PostgreSQL one");
        foreach (var text in new[] { output, error, state, stateError })
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
    }

    // Starts `dagrunner web --port 0` over the store, reads its URL from its first line, asks for `path`, stops it.
    private async Task<string> WebApiAsync(string store, string path)
    {
        var start = DagRunnerProcess.StartInfo(DagRunnerProcess.RepositoryRoot, ["web", "--port", "0", "--home", _home["web-home"]], new Dictionary<string, string> { ["DAGRUNNER_STORE"] = store });
        using var web = System.Diagnostics.Process.Start(start)!;
        try
        {
            _ = web.StandardError.ReadToEndAsync(Token);
            string? line;
            do
            {
                line = await web.StandardOutput.ReadLineAsync(Token);
            }
            while (line is not null && !line.StartsWith("Web UI at ", StringComparison.Ordinal));

            Assert.NotNull(line);
            var url = new Uri(line["Web UI at ".Length..].Split(' ')[0]);
            _ = web.StandardOutput.ReadToEndAsync(Token);
            using var http = new HttpClient();
            return await http.GetStringAsync(new Uri(url, path), Token);
        }
        finally
        {
            web.Kill(entireProcessTree: true);
            await web.WaitForExitAsync(Token);
        }
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
