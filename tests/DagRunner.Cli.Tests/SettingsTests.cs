namespace DagRunner.Cli.Tests;

public sealed class SettingsTests
{
    private const string OneDag = "new Dag(\"found\");";

    [Fact]
    public async Task DagsFolder_OptionWinsOverEnvironmentWhichWinsOverSettingsFile()
    {
        using var cli = new CliRun();
        cli.Root.Write("from_option/a.csx", "new Dag(\"from_option\");");
        cli.Root.Write("from_env/a.csx", "new Dag(\"from_env\");");
        cli.Root.Write("from_file/a.csx", "new Dag(\"from_file\");");
        cli.Root.Write("dagrunner.json", "{ \"dagsFolder\": \"from_file\" }");

        var fromFile = await cli.RunAsync("tasks", "list", "from_file", "--ids");
        cli.SetEnvironment("DAGRUNNER_DAGS_FOLDER", "from_env");
        var fromEnv = await cli.RunAsync("tasks", "list", "from_env", "--ids");
        var fromOption = await cli.RunAsync("tasks", "list", "from_option", "--ids", "--dags-folder", "from_option");

        Assert.Equal([0, 0, 0], new[] { fromFile.ExitCode, fromEnv.ExitCode, fromOption.ExitCode });
    }

    [Fact]
    public async Task SettingsFile_Malformed_Exits2WithFileAndLine()
    {
        using var cli = new CliRun();
        cli.Dag("a.csx", OneDag);
        cli.Root.Write("dagrunner.json", "{\n  \"home\": \n}");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dagrunner.json:3:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsFile_UnknownKey_Exits2NamingIt()
    {
        using var cli = new CliRun();
        cli.Dag("a.csx", OneDag);
        cli.Root.Write("dagrunner.json", "{ \"dagFolder\": \"x\" }");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown setting 'dagFolder'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsFile_PoolWithOneSlot_RunsItsTasksOneAtATime()
    {
        using var cli = new CliRun();
        cli.Root.Write("dagrunner.json", """{ "pools": { "yarn_queue": 1 }, "parallelism": 8 }""");
        cli.Dag("pooled.csx", """
            var dag = new Dag("pooled");
            var inside = 0;
            var most = 0;
            for (var i = 0; i < 4; i++)
                dag.Add(new CSharpOperator($"t{i}", async ctx =>
                {
                    var now = Interlocked.Increment(ref inside);
                    most = Math.Max(most, now);
                    await Task.Delay(20);
                    Interlocked.Decrement(ref inside);
                    ctx.Log.WriteLine($"most at once: {most}");
                }) { Pool = "yarn_queue" });
            """);

        var result = await cli.RunAsync("dags", "test", "pooled");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.DoesNotContain("most at once: 2", result.Output, StringComparison.Ordinal);
        Assert.Contains("most at once: 1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsFile_PoolWithoutSlots_Exits2NamingIt()
    {
        using var cli = new CliRun();
        cli.Root.Write("dagrunner.json", """{ "pools": { "yarn_queue": 0 } }""");
        cli.Dag("a.csx", "var dag = new Dag(\"a\");");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pool 'yarn_queue' must be a whole number of at least 1, not 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadTimeout_FromEnvironment_StopsARunawayFile()
    {
        using var cli = new CliRun();
        cli.Dag("a.csx", OneDag);
        cli.Dag("spin.csx", "while (true) { }");
        cli.SetEnvironment("DAGRUNNER_LOAD_TIMEOUT", "1.5");

        var result = await cli.RunAsync("dags", "errors");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("spin.csx:1:", result.Output, StringComparison.Ordinal);
        Assert.Contains("did not finish loading within 1.5 s", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadTimeout_NotANumber_Exits2()
    {
        using var cli = new CliRun();
        cli.SetEnvironment("DAGRUNNER_LOAD_TIMEOUT", "soon");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DAGRUNNER_LOAD_TIMEOUT", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadMemoryLimit_FromSettingsFile_ALargerLoadIsAnImportError_TheOptionWins()
    {
        using var cli = new CliRun();
        cli.Dag("a.csx", OneDag);
        cli.Dag("big.csx", "new Dag(\"big\");\nvar data = new byte[100_000_000];\ndata[^1] = 1;");
        cli.Root.Write("dagrunner.json", "{ \"loadMemoryLimitMb\": 64 }");

        var limited = await cli.RunAsync("dags", "errors");
        var raised = await cli.RunAsync("dags", "errors", "--load-memory-limit", "256");

        Assert.Equal(3, limited.ExitCode);
        Assert.Contains("big.csx:2:12: The file needed more than the load memory limit of 64 MB", limited.Output, StringComparison.Ordinal);
        Assert.Equal(0, raised.ExitCode);
    }

    [Fact]
    public async Task LoadMemoryLimit_TooSmall_Exits2NamingIt()
    {
        using var cli = new CliRun();
        cli.SetEnvironment("DAGRUNNER_LOAD_MEMORY_LIMIT", "8");

        var result = await cli.RunAsync("dags", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DAGRUNNER_LOAD_MEMORY_LIMIT: '8' is not a whole number of megabytes from 32", result.Error, StringComparison.Ordinal);
    }
}
