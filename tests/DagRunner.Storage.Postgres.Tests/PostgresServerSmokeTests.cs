using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DagRunner.Testing.Postgres;

namespace DagRunner.Storage.Postgres.Tests;

/// <summary>The throwaway PostgreSQL server, checked with the real psql client before the run store's
/// tests rely on it: databases it creates answer queries, and disposing it really stops it.</summary>
public sealed class PostgresServerSmokeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_CreatesSeparateDatabasesThatAnswer_AndDisposeStopsTheServer()
    {
        var server = await PostgresServer.StartAsync(Ct);
        var port = server.Port;
        try
        {
            var first = await server.CreateDatabaseAsync(Ct);
            var second = await server.CreateDatabaseAsync(Ct);
            Assert.NotEqual(DatabaseOf(first), DatabaseOf(second));
            Assert.Equal(server.ConnectionString(DatabaseOf(first)), first);

            foreach (var connectionString in new[] { first, second })
            {
                var database = DatabaseOf(connectionString);
                var (exitCode, output, error) = await PsqlAsync(server, database, "select 1, current_database()");

                Assert.True(exitCode == 0, $"psql exited with {exitCode}: {error}\nserver log:\n{server.Log}");
                Assert.Equal($"1|{database}", output.Trim());
            }
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(await AcceptsConnectionAsync(port), $"127.0.0.1:{port} still accepts connections after dispose. Server log:\n{server.Log}");
    }

    /// <summary>Reads the connection string with the BCL's parser: the test must not trust the server's own formatting.</summary>
    private static string DatabaseOf(string connectionString) =>
        (string)new DbConnectionStringBuilder { ConnectionString = connectionString }["Database"];

    private static async Task<(int ExitCode, string Output, string Error)> PsqlAsync(PostgresServer server, string database, string sql)
    {
        // -X: no ~/.psqlrc; -tA: bare rows, columns joined by '|'.
        var start = new ProcessStartInfo(Path.Combine(server.BinDirectory, "psql"))
        {
            ArgumentList = { "-X", "-tA", "-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var psql = Process.Start(start)!;
        try
        {
            var output = psql.StandardOutput.ReadToEndAsync(Ct);
            var error = psql.StandardError.ReadToEndAsync(Ct);
            await psql.WaitForExitAsync(Ct);
            return (psql.ExitCode, await output, await error);
        }
        finally
        {
            if (!psql.HasExited)
                psql.Kill(entireProcessTree: true);
        }
    }

    private static async Task<bool> AcceptsConnectionAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, Ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
