using System.Text;
using System.Text.Json;
using DagRunner.LocalLivy;
using DagRunner.Testing;

namespace DagRunner.Cli.Tests;

/// <summary><c>tasks render</c>: every templated field and statement exactly as the server receives it.</summary>
public sealed class TasksRenderTests
{
    private const string Dag = """
        var dag = new Dag("render_check") { Params = { ["table"] = "sales" } };
        var batch = dag.Add(new LivyBatchOperator("aggregate")
        {
            File = "local:///jobs/echo.py",
            Args = { "--date", "{{ ds }}", "--customer", "{{ params.customer }}" },
            Conf = { ["spark.app.day"] = "{{ ds_nodash }}" },
            PollInterval = TimeSpan.FromMilliseconds(100),
        });
        var report = dag.Add(new LivySessionOperator("report")
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            Statements =
            {
                Statement.FromTemplate("report/load.py.sbn"),
                Statement.FromFile("report/summarize.py"),
                Statement.Inline("print({{ ds | lit }})"),
            },
        });
        batch >> report;
        """;

    private const string Conf = """{"customer": "O'Brien \"Ltd\" \\ naïve\nzweite Zeile"}""";

    [Fact]
    public async Task RenderOut_EqualsWhatLivyReceives_ByteForByte()
    {
        using var cli = Project();
        await using var livy = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = cli.Root["templates"] }, TestContext.Current.CancellationToken);
        await using var proxy = new RecordingProxy(livy.BaseUrl);
        cli.SetEnvironment("DAGRUNNER_CONN_LIVY_DEFAULT", proxy.BaseUrl.ToString());
        cli.SetEnvironment("DAGRUNNER_CONN_YARN_DEFAULT", livy.BaseUrl.ToString());
        cli.SetEnvironment("DAGRUNNER_CONN_SPARK_DEFAULT", livy.BaseUrl.ToString());

        var batchPreview = await cli.RunAsync("tasks", "render", "render_check", "aggregate", "--date", "2026-11-20", "--conf", Conf, "--out", "out/aggregate");
        var sessionPreview = await cli.RunAsync("tasks", "render", "render_check", "report", "--date", "2026-11-20", "--conf", Conf, "--out", "out/report");
        var run = await cli.RunAsync("dags", "test", "render_check", "--date", "2026-11-20", "--conf", Conf);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal(0, batchPreview.ExitCode);
        Assert.Equal(0, sessionPreview.ExitCode);
        var posts = proxy.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(File.ReadAllBytes(cli.Root["out/aggregate/batch_request.json"]), posts.Single(r => r.Path == "/batches").Body);
        Assert.Equal(File.ReadAllBytes(cli.Root["out/report/session_request.json"]), posts.Single(r => r.Path == "/sessions").Body);
        var sent = posts.Where(r => r.Path.EndsWith("/statements", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("code").GetString()!).ToList();
        string[] files = ["01_load.py", "02_summarize.py", "03_inline.py"];
        Assert.Equal(files.Select(f => File.ReadAllText(cli.Root[$"out/report/{f}"], Encoding.UTF8)), sent);
        // Piped, the printed preview holds each statement verbatim too.
        Assert.All(sent, code => Assert.Contains(code, sessionPreview.Output, StringComparison.Ordinal));
        Assert.Contains("report | O'Brien \"Ltd\" \\ naïve", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ShowsFieldsAndMasksSecrets()
    {
        using var cli = Project();

        var result = await cli.RunAsync("tasks", "render", "render_check", "aggregate", "--date", "2026-11-20", "--conf", """{"customer": "x", "api_token": "tok-123456"}""");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Args: [\"--date\",\"2026-11-20\",\"--customer\",\"x\"]", result.Output, StringComparison.Ordinal);
        Assert.Contains("Conf: {\"spark.app.day\":\"20261120\"}", result.Output, StringComparison.Ordinal);
        Assert.Contains("POST /batches", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123456", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UpstreamOutputs_ShownAsPlaceholders()
    {
        using var cli = new CliRun();
        cli.Dag("chain.csx", """
            var dag = new Dag("chain");
            var first = dag.Add(new ShellOperator("extract") { Command = "echo 42" });
            var second = dag.Add(new ShellOperator("load") { Command = "echo {{ outputs.extract }} {{ outputs.extract.rows | lit }}" });
            first >> second;
            """);

        var result = await cli.RunAsync("tasks", "render", "chain", "load", "--date", "2026-11-20");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Command: echo <outputs.extract> '<outputs.extract.rows>'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UndefinedVariable_ClearErrorWithTheField()
    {
        using var cli = Project();

        var result = await cli.RunAsync("tasks", "render", "render_check", "aggregate", "--date", "2026-11-20");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("aggregate.Args[3]:1:11: `customer` is not defined here", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateSyntaxError_IsAnImportErrorWithTheTemplatesFileAndLine()
    {
        using var cli = Project();
        cli.Root.Write("templates/report/load.py.sbn", "ok = 1\nday = {{ ds | }}\n");

        var result = await cli.RunAsync("dags", "errors");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("report/load.py.sbn:2:", result.Output + result.Error, StringComparison.Ordinal);
    }

    private static CliRun Project()
    {
        var cli = new CliRun();
        cli.Dag("render_check.csx", Dag);
        cli.Root.Write("templates/jobs/echo.py", "import sys\nprint('ARGS', sys.argv[1:])\n");
        cli.Root.Write("templates/report/load.py.sbn", "customer = {{ params.customer | lit }}\nprint(customer)\n");
        cli.Root.Write("templates/report/summarize.py", "print(params['table'])\n");
        return cli;
    }
}
