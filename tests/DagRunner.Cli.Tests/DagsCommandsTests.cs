using System.Text.Json;
using DagRunner.Testing;

namespace DagRunner.Cli.Tests;

public sealed class DagsCommandsTests
{
    private const string Pipeline = """
        var dag = new Dag("pipeline") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Tags = { "t1" } };
        var a = dag.Add(new ShellOperator("extract") { Command = "echo extracted" });
        var b = dag.Add(new CSharpOperator("count", ctx => 42));
        var c = dag.Add(new ShellOperator("load") { Command = "echo loaded" });
        a >> b >> c;
        """;

    [Fact]
    public async Task DagsListJson_IsValidJsonWithIdFileScheduleAndTasks()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);
        cli.Dag("broken.csx", "var x = ;");

        var result = await cli.RunAsync("dags", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var dag = json.RootElement.GetProperty("dags").EnumerateArray().Single();
        Assert.Equal("pipeline", dag.GetProperty("dagId").GetString());
        Assert.Equal(Path.Combine("dags", "pipeline.csx"), dag.GetProperty("file").GetString());
        Assert.Equal("@daily", dag.GetProperty("schedule").GetString());
        Assert.Equal(["extract", "count", "load"], dag.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        var error = json.RootElement.GetProperty("importErrors").EnumerateArray().Single();
        Assert.Equal(Path.Combine("dags", "broken.csx"), error.GetProperty("file").GetString());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task DagsList_Table_ShowsDagsAndImportErrors()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);
        cli.Dag("broken.csx", "var x = ;");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("pipeline", result.Output, StringComparison.Ordinal);
        Assert.Contains("@daily", result.Output, StringComparison.Ordinal);
        Assert.Contains("Import errors (1)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsErrors_WithBrokenFiles_PrintsFileLineColumnAndExits3()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);
        cli.Dag("broken.csx", "\nvar x = ;");

        var result = await cli.RunAsync("dags", "errors");

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(Path.Combine("dags", "broken.csx") + ":2:9: CS1525: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsErrors_WithoutErrors_Exits0()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync("dags", "errors");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task DagsShow_DrawsTheTree()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync("dags", "show", "pipeline");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split(Environment.NewLine);
        Assert.Contains(lines, l => l.Contains("extract (ShellOperator)", StringComparison.Ordinal));
        Assert.True(
            Array.FindIndex(lines, l => l.Contains("count (CSharpOperator)", StringComparison.Ordinal))
            < Array.FindIndex(lines, l => l.Contains("load (ShellOperator)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DagsShow_UnknownDag_Exits2NamingTheKnownOnes()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync("dags", "show", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Known DAGs: pipeline", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsShow_UnknownDagWhileFilesAreBroken_Exits3()
    {
        using var cli = new CliRun();
        cli.Dag("broken.csx", "new Dag(\"nope\"); var x = ;");

        var result = await cli.RunAsync("dags", "show", "nope");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("import errors", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_RunsEveryTaskInOrderAndExits0()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync("dags", "test", "pipeline", "--date", "2026-11-20");

        Assert.Equal(0, result.ExitCode);
        var extracted = result.Output.IndexOf("extract | extracted", StringComparison.Ordinal);
        var loaded = result.Output.IndexOf("load | loaded", StringComparison.Ordinal);
        Assert.InRange(extracted, 0, loaded);
        Assert.Contains("manual__2026-11-20T00:00:00+00:00", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.Root[".dagrunner/logs/pipeline/manual__2026-11-20T00_00_00_00_00/load/attempt=1.log"]));
    }

    [Fact]
    public async Task DagsTest_FailingTask_Exits1AndMarksDownstreamUpstreamFailed()
    {
        using var cli = new CliRun();
        cli.Dag("failing.csx", """
            var dag = new Dag("failing");
            var a = dag.Add(new ShellOperator("a") { Command = "echo about to fail; exit 3" });
            var b = dag.Add(new ShellOperator("b") { Command = "echo never" });
            a >> b;
            """);

        var result = await cli.RunAsync("dags", "test", "failing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exited with code 3", result.Output, StringComparison.Ordinal);
        Assert.Contains("upstream_failed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("b | never", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_ConfOverlaysParams()
    {
        using var cli = new CliRun();
        cli.Dag("conf.csx", """
            var dag = new Dag("conf") { Params = { ["who"] = "dag" } };
            dag.Add(new CSharpOperator("say", ctx => ctx.Log.WriteLine($"hello {ctx.Params["who"]}")));
            """);

        var result = await cli.RunAsync("dags", "test", "conf", "--conf", "{\"who\": \"conf\"}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("say | hello conf", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dags", "test", "pipeline", "--date", "yesterday")]
    [InlineData("dags", "test", "pipeline", "--conf", "[1]")]
    [InlineData("dags", "frobnicate")]
    [InlineData("dags")]
    public async Task BadUsage_Exits2(params string[] args)
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TasksList_IdsInDependencyOrder()
    {
        using var cli = new CliRun();
        cli.Dag("pipeline.csx", Pipeline);

        var result = await cli.RunAsync("tasks", "list", "pipeline", "--ids");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["extract", "count", "load"], result.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task DagsTest_Cancelled_StopsTheTaskAndExits1()
    {
        using var cli = new CliRun();
        cli.Dag("slow.csx", """
            var dag = new Dag("slow");
            dag.Add(new ShellOperator("wait") { Command = "echo waiting; sleep 60" });
            """);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cli.OutputWriter = new CancelOnLine("wait | waiting", cancel);

        var result = await cli.RunAsync(cancel.Token, "dags", "test", "slow");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cancelled.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingDagsFolder_Exits2NamingIt()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("dags", "list", "--dags-folder", "nowhere");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nowhere does not exist", result.Error, StringComparison.Ordinal);
    }
}
