using System.Text.Json;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>A folder of broken DAG files beside good ones: one clear error each, and the good ones still list.</summary>
public sealed class BrokenDagsTests : IDisposable
{
    private static readonly Dictionary<string, string> Broken = new()
    {
        ["syntax.csx"] = "var dag = new Dag(\"syntax\")\nvar x = 1;",
        ["type.csx"] = "var dag = new Dag(\"type\");\nint n = \"text\";",
        ["cycle.csx"] = "var dag = new Dag(\"cycle\");\nvar a = dag.Add(new ShellOperator(\"a\") { Command = \"true\" });\nvar b = dag.Add(new ShellOperator(\"b\") { Command = \"true\" });\na >> b >> a;",
        ["duplicate_task.csx"] = "var dag = new Dag(\"duplicate_task\");\ndag.Add(new ShellOperator(\"t\") { Command = \"true\" });\ndag.Add(new ShellOperator(\"t\") { Command = \"true\" });",
        ["duplicate_dag.csx"] = "new Dag(\"good\");",
        ["throws.csx"] = "var dag = new Dag(\"throws\");\nthrow new InvalidOperationException(\"no config\");",
        ["loops.csx"] = "var dag = new Dag(\"loops\");\nwhile (true) { }",
        ["unknown_load.csx"] = "#load \"_nowhere.csx\"\nvar dag = new Dag(\"unknown_load\");",
    };

    private readonly TempFolder _project = new("dagrunner-e2e-broken");

    public BrokenDagsTests()
    {
        _project.Write("dags/a_good.csx", "var dag = new Dag(\"good\");\ndag.Add(new ShellOperator(\"t\") { Command = \"true\" });");
        foreach (var (name, content) in Broken)
        {
            _project.Write(Path.Combine("dags", name), content);
        }
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task DagsErrors_OneErrorPerBrokenFileWithLine_Exit3()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "errors", "--load-timeout", "2");

        Assert.True(exit == 3, output + error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in Broken.Keys)
        {
            var line = Assert.Single(lines, l => l.StartsWith($"dags/{name}:", StringComparison.Ordinal));
            Assert.Matches($@"^dags/{name}:\d+:\d+: .+", line);
        }

        Assert.Equal(Broken.Count, lines.Length);
    }

    [Fact]
    public async Task DagsList_GoodDagStillListed()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "list", "--json", "--load-timeout", "2");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["good"], json.RootElement.GetProperty("dags").EnumerateArray().Select(d => d.GetProperty("dagId").GetString()));
        Assert.Equal(Broken.Count, json.RootElement.GetProperty("importErrors").GetArrayLength());
    }
}
