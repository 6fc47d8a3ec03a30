using System.Globalization;
using System.Text.Json;

namespace DagRunner.Cli.Tests;

/// <summary>
/// A command that only shows DAGs (<c>dags list</c>) takes a new file version's definitions from the load probe
/// that ran it: the file's code runs once, in the probe, not a second time in the runner. Each run of the files
/// below leaves the id of the process that ran it.
/// </summary>
public sealed class ProbeSnapshotTests
{
    [Fact]
    public async Task DagsList_NewFile_RunsOnlyInTheProbe_AndListsWhatItBuilt()
    {
        using var cli = new CliRun();
        var log = cli.Root["runs.log"];
        cli.Dag("etl.csx", Counting(log, """
            var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new ShellOperator("extract") { Command = "echo {{ ds }}" }).Then(dag.Add(new ShellOperator("load") { Command = "echo done" }));
            """));

        var first = await cli.RunAsync("dags", "list", "--json");
        var ranFirst = Runs(log);
        var second = await cli.RunAsync("dags", "list", "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        var ran = Assert.Single(ranFirst);
        Assert.NotEqual(Environment.ProcessId, ran);
        Assert.Equal(["extract", "load"], Tasks(first.Output, "etl"));
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(ranFirst, Runs(log));
    }

    [Fact]
    public async Task DagsList_NewFileWithAStatementFromTheTemplatesFolder_IsCheckedThereByTheProbe()
    {
        using var cli = new CliRun();
        cli.Root.Write("templates/report/load.py.sbn", "print({{ ds | lit }})\n");
        var log = cli.Root["runs.log"];
        cli.Dag("report.csx", Counting(log, """
            var dag = new Dag("report") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new LivySessionOperator("load") { Kind = SessionKind.PySpark, Statements = { Statement.FromTemplate("report/load.py.sbn") } });
            """));

        var result = await cli.RunAsync("dags", "list", "--json");

        // Checked anywhere else than the templates folder, the template would be missing: an error, and the runner
        // would have run the file again to report it.
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["load"], Tasks(result.Output, "report"));
        Assert.NotEqual(Environment.ProcessId, Assert.Single(Runs(log)));
    }

    [Fact]
    public async Task DagsList_NewFileWithABrokenTemplate_ReportsItAtTheTask_AsTheRunnerDoes()
    {
        using var cli = new CliRun();
        var log = cli.Root["runs.log"];
        cli.Dag("broken.csx", Counting(log, """
            var dag = new Dag("broken") { StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new ShellOperator("extract") { Command = "echo {{ ds | }}" });
            """));

        var result = await cli.RunAsync("dags", "list", "--json");

        using var json = JsonDocument.Parse(result.Output);
        Assert.Empty(json.RootElement.GetProperty("dags").EnumerateArray());
        var error = Assert.Single(json.RootElement.GetProperty("importErrors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("Task 'extract'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        // The probe keeps no snapshot of a file whose definitions have errors: the runner runs it and reports them.
        Assert.Equal(2, Runs(log).Count);
        Assert.Contains(Environment.ProcessId, Runs(log));
    }

    private static string Counting(string log, string dag) =>
        $"File.AppendAllText(@\"{log}\", Environment.ProcessId + \"\\n\");\n" + dag;

    private static List<int> Runs(string log) =>
        File.Exists(log) ? [.. File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))] : [];

    private static string[] Tasks(string listJson, string dagId)
    {
        using var json = JsonDocument.Parse(listJson);
        var dag = json.RootElement.GetProperty("dags").EnumerateArray().Single(d => d.GetProperty("dagId").GetString() == dagId);
        return [.. dag.GetProperty("tasks").EnumerateArray().Select(t => t.GetString() ?? "")];
    }
}
