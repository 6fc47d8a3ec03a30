using System.Data.Common;
using System.Diagnostics;
using DagRunner.Testing.Postgres;
using Npgsql;

namespace DagRunner.EndToEnd.Tests;

/// <summary>One throwaway PostgreSQL for the scale-out tests; each test takes a database of its own, and starts
/// its <c>dagrunner</c> processes against it.</summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>A new database, as the store URI the processes are given and the connection string the test reads it with.</summary>
    public async Task<(string Uri, string ConnectionString)> CreateStoreAsync()
    {
        var connection = await _server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var database = new DbConnectionStringBuilder { ConnectionString = connection }["Database"];
        return ($"postgres://postgres@{_server.Host}:{_server.Port}/{database}", connection);
    }

    /// <summary>Starts <c>dagrunner</c> with <paramref name="args"/> in <paramref name="project"/> over the store, its
    /// output kept (for the failure message) and drained.</summary>
    public static (Process Process, Func<string> Output) Start(string project, string store, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DAGRUNNER_STORE"] = store };
        var start = DagRunnerProcess.StartInfo(project, args, variables);
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, () => { lock (output) return output.ToString(); });
    }

    /// <summary>One value of <paramref name="sql"/> on the store; default while its schema is not there yet.</summary>
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            return value is null or DBNull ? default : (T)value;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return default;
        }
    }
}
