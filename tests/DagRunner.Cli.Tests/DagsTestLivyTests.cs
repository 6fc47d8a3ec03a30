namespace DagRunner.Cli.Tests;

/// <summary><c>dags test</c> of Livy tasks: the embedded LocalLivy when no Livy is configured.</summary>
public sealed class DagsTestLivyTests
{
    private const string BatchDag = """
        var dag = new Dag("spark_job");
        dag.Add(new LivyBatchOperator("aggregate") { File = "local:///jobs/aggregate.py", Args = { "2026-11-20" }, VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(200) });
        """;

    [Fact]
    public async Task NoLivyConfigured_StartsTheEmbeddedLocalLivyAndRunsTheBatch()
    {
        using var cli = new CliRun();
        cli.Dag("spark_job.csx", BatchDag);
        cli.Root.Write("templates/jobs/aggregate.py", "import sys\nprint('aggregated', sys.argv[1])\n");

        var result = await cli.RunAsync("dags", "test", "spark_job");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("No livy_default connection: started the embedded LocalLivy at http://127.0.0.1:", result.Output, StringComparison.Ordinal);
        Assert.Contains("aggregate | aggregated 2026-11-20", result.Output, StringComparison.Ordinal);
        Assert.Contains("YARN: succeeded (FINISHED/SUCCEEDED)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsState_ShowsTheBatchTheTaskRecorded()
    {
        using var cli = new CliRun();
        cli.Dag("spark_job.csx", BatchDag);
        cli.Root.Write("templates/jobs/aggregate.py", "print('aggregated')\n");

        var run = await cli.RunAsync("dags", "test", "spark_job");
        var table = await cli.RunAsync("dags", "state", "spark_job");
        var json = await cli.RunAsync("dags", "state", "spark_job", "--json");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Matches(@"batch 0 app application_\d+_0001", table.Output);
        using var state = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.Equal("0", state.RootElement.GetProperty("tasks")[0].GetProperty("remote").GetProperty("batch_id").GetString());
    }

    [Fact]
    public async Task LivyConfiguredInTheEnvironment_UsesItAndStartsNothing()
    {
        using var cli = new CliRun();
        cli.Dag("spark_job.csx", BatchDag);
        cli.Root.Write("jobs/aggregate.py", "print('remote livy')\n");
        await using var livy = await LocalLivy.LocalLivyServer.StartAsync(new LocalLivy.LocalLivyOptions { Port = 0, JobsRoot = cli.Root.Path }, TestContext.Current.CancellationToken);
        foreach (var id in new[] { "LIVY", "SPARK", "YARN" })
            cli.SetEnvironment($"DAGRUNNER_CONN_{id}_DEFAULT", livy.BaseUrl.ToString());

        var result = await cli.RunAsync("dags", "test", "spark_job");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.DoesNotContain("embedded LocalLivy", result.Output, StringComparison.Ordinal);
        Assert.Contains($"to {livy.BaseUrl}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedConnection_ClearErrorWithoutThePassword()
    {
        using var cli = new CliRun();
        cli.Dag("spark_job.csx", BatchDag);
        cli.SetEnvironment("DAGRUNNER_CONN_LIVY_DEFAULT", "livy://admin:hunter2@cluster:8998");

        var result = await cli.RunAsync("dags", "test", "spark_job");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Connection 'livy_default'", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionStatementFails_TracebackShownOnceWithTheTemplateLine_OneNumberingForTheStatement()
    {
        using var cli = new CliRun();
        cli.Dag("report.csx", """
            var dag = new Dag("report");
            dag.Add(new LivySessionOperator("load")
            {
                PollInterval = TimeSpan.FromMilliseconds(200),
                Statements = { Statement.Inline("x = 1"), Statement.FromTemplate("report/load.py.sbn") },
            });
            """);
        cli.Root.Write("templates/report/load.py.sbn", "def parse(day):\n    return int(day)\nparse({{ ds | lit }})\n");

        var result = await cli.RunAsync("dags", "test", "report", "--date", "2026-11-20");
        var output = result.Output;

        Assert.True(result.ExitCode == 1, output + result.Error);
        Assert.Contains("load | Statement 2/2 (report/load.py.sbn, pyspark), as sent:", output, StringComparison.Ordinal);
        Assert.True(Count(output, "Traceback (most recent call last):") == 1, output);
        Assert.True(Count(output, "line 2, in parse [report/load.py.sbn:2]\n") == 1, output);
        Assert.Contains("Statement 2/2 (report/load.py.sbn) failed: ValueError: invalid literal for int() with base 10: '2026-11-20'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Statement 1 failed", output, StringComparison.Ordinal);
        Assert.Contains("Run failed.", output, StringComparison.Ordinal);
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
