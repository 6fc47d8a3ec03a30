using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// Secrets never, anywhere: a DAG whose tasks print, throw and are configured with secrets (a secret
/// param, a secret conf entry, a value an operator registers, a malformed connection URI with a
/// password), run by the real executable against the embedded LocalLivy. No secret is in its standard
/// output or error, its task logs, any text of the SQLite store, or <c>dags state --json</c>.
/// </summary>
public sealed class SecretMaskingTests : IDisposable
{
    private const string ParamToken = "tok-Zq8sEcReT9f3k";
    private const string ConfPassword = "pw-Conf7Secret";
    private const string LearnedSecret = "learned-S3cret-v4lue";
    private const string ConnectionPassword = "pa#ss-W0rd9";

    private static readonly string[] Secrets = [ParamToken, ConfPassword, LearnedSecret, ConnectionPassword, "ss-W0rd9"];

    private readonly TempFolder _project = new("dagrunner-e2e-secrets");

    public SecretMaskingTests()
    {
        Directory.CreateDirectory(_project["templates"]);
        _project.Write("dags/leaky.csx", $$$"""
            var dag = new Dag("leaky") { Params = { ["api_token"] = "{{{ParamToken}}}" } };

            // Job output: a shell command and a Livy session statement print the secrets.
            dag.Add(new ShellOperator("shell_print") { Command = "echo token={{ params.api_token }} pw={{ dag_run.conf.db_password }}" });
            dag.Add(new LivySessionOperator("session_print")
            {
                Kind = SessionKind.PySpark,
                Statements = { Statement.Inline("print('token', {{ params.api_token | lit }}, 'pw', {{ params.db_password | lit }})") },
            });

            // Exception text.
            dag.Add(new CSharpOperator("csharp_throw", ctx =>
            {
                if (ctx.TryNumber > 0)
                    throw new InvalidOperationException($"refused token {ctx.Params["api_token"]}");
            }));

            // A malformed connection URI: a '#' in the password.
            dag.Add(new LivyBatchOperator("bad_connection") { File = "local:///jobs/none.py", LivyConnectionId = "bad_livy" });
            """);
        _project.Write("dags/learned.csx", $$$"""
            var dag = new Dag("learned");
            dag.Add(new CSharpOperator("fetch_token", ctx =>
            {
                // A value the task learns (a token it fetched) is registered, and hidden from then on.
                ctx.Secrets.Add("{{{LearnedSecret}}}");
                ctx.Log.WriteLine("fetched {{{LearnedSecret}}}");
                if (ctx.TryNumber > 0)
                    throw new InvalidOperationException("the service refused {{{LearnedSecret}}}");
            }));
            """);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task DagsTest_TasksPrintAndThrowSecrets_NoSecretInOutputLogsStoreOrState()
    {
        var environment = new Dictionary<string, string> { ["DAGRUNNER_CONN_BAD_LIVY"] = $"http://alice:{ConnectionPassword}@livy.example:8998" };

        var (exit, output, error) = await DagRunnerProcess.RunAsync(
            _project.Path, environment, "dags", "test", "leaky", "--conf", $$"""{"db_password": "{{ConfPassword}}"}""", "--home", _project["home"]);

        Assert.True(exit == 1, output + error);
        AssertNoSecret("the terminal", output + error);
        // The tasks did print and throw: what they wrote is there, masked.
        Assert.Contains("token=*** pw=***", output, StringComparison.Ordinal);
        Assert.Contains("token *** pw ***", output, StringComparison.Ordinal);
        Assert.Contains("refused token ***", output, StringComparison.Ordinal);
        Assert.Contains("bad_livy", output, StringComparison.Ordinal);
        Assert.Contains("alice:***@livy.example", output, StringComparison.Ordinal);

        var logs = Directory.EnumerateFiles(_project["home/logs"], "*.log", SearchOption.AllDirectories).ToList();
        Assert.Equal(4, logs.Count);
        foreach (var log in logs)
            AssertNoSecret(log, await File.ReadAllTextAsync(log, Token));

        foreach (var (place, text) in StoreTexts(_project["home/state.db"]))
            AssertNoSecret(place, text);
        // And the files' bytes (the database, its WAL), but for the conf that the run keeps as given.
        foreach (var file in Directory.EnumerateFiles(_project["home"], "state.db*"))
        {
            var bytes = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, Token));
            foreach (var secret in Secrets.Where(s => s != ConfPassword))
                Assert.False(bytes.Contains(secret, StringComparison.Ordinal), $"{file} holds the secret '{secret}'");
        }

        var (stateExit, state, stateError) = await DagRunnerProcess.RunAsync(_project.Path, environment, "dags", "state", "leaky", "--json", "--home", _project["home"]);
        Assert.True(stateExit == 0, stateError);
        Assert.Contains("refused token ***", state, StringComparison.Ordinal);
        AssertNoSecret("dags state --json", state + stateError);
    }

    [Fact]
    public async Task DagsTest_OperatorRegistersASecret_HiddenInTheTerminalLogAndStore()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "learned", "--home", _project["home"]);

        Assert.True(exit == 1, output + error);
        Assert.Contains("fetched ***", output, StringComparison.Ordinal);
        Assert.Contains("the service refused ***", output, StringComparison.Ordinal);
        AssertNoSecret("the terminal", output + error);
        foreach (var log in Directory.EnumerateFiles(_project["home/logs"], "*.log", SearchOption.AllDirectories))
            AssertNoSecret(log, await File.ReadAllTextAsync(log, Token));
        foreach (var (place, text) in StoreTexts(_project["home/state.db"]))
            AssertNoSecret(place, text);
    }

    private static void AssertNoSecret(string place, string text)
    {
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{place} holds the secret '{secret}':\n{text}");
    }

    // Every text column of every table, as stored. The run's conf is the one place a secret stays: a
    // queued run needs it to run (the README says so).
    private static List<(string Place, string Text)> StoreTexts(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }

        Assert.Contains("task_attempt", tables);
        Assert.Contains("run_event", tables);
        var texts = new List<(string Place, string Text)>();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.IsDBNull(i) || reader.GetValue(i) is not string text || (table == "dag_run" && reader.GetName(i) == "conf"))
                        continue;
                    texts.Add(($"{table}.{reader.GetName(i)}", text));
                }
            }
        }

        return texts;
    }
}
