using System.Text.Json;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The example DAGs in the repository, through the real executable.</summary>
public sealed class ExampleDagsTests : IDisposable
{
    private readonly TempFolder _home = new("dagrunner-e2e-home");

    public void Dispose() => _home.Dispose();

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot, [.. args, "--home", _home.Path]);

    [Fact]
    public async Task DagsListJson_ListsEveryExampleDag()
    {
        var (exit, output, error) = await RunAsync("dags", "list", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.GetProperty("dags").EnumerateArray().Select(d => d.GetProperty("dagId").GetString()).ToList();
        var files = Directory.EnumerateFiles(Path.Combine(DagRunnerProcess.RepositoryRoot, "dags"), "*.csx")
            .Where(f => !Path.GetFileName(f).StartsWith('_'))
            .Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(files.Order(), ids.Order());
        Assert.Empty(json.RootElement.GetProperty("importErrors").EnumerateArray());
        var sales = json.RootElement.GetProperty("dags").EnumerateArray().Single(d => d.GetProperty("dagId").GetString() == "daily_sales");
        Assert.Equal(Path.Combine("dags", "daily_sales.csx"), sales.GetProperty("file").GetString());
        Assert.Equal("@daily", sales.GetProperty("schedule").GetString());
        Assert.Equal(["wait_for_input", "aggregate", "report"], sales.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task DagsErrors_ExamplesHaveNone()
    {
        var (exit, output, error) = await RunAsync("dags", "errors");

        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task DagsTest_FanOutFanIn_Succeeds()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "fan_out_fan_in", "--date", "2026-11-20");

        Assert.True(exit == 0, output + error);
        Assert.Contains("load | loading; apac wrote 3 rows", output, StringComparison.Ordinal);
        Assert.Contains("Run succeeded.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_CSharpOnly_Succeeds()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "csharp_only");

        Assert.True(exit == 0, output + error);
        Assert.Contains("report | sum = 55", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_SparkBatches_SucceedsAgainstTheEmbeddedLocalLivy()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "spark_batches");

        Assert.True(exit == 0, output + error);
        Assert.Contains("No livy_default connection: started the embedded LocalLivy", output, StringComparison.Ordinal);
        Assert.Contains("aggregate |   YARN: succeeded (FINISHED/SUCCEEDED)", output, StringComparison.Ordinal);
        Assert.Contains("aggregate |   Spark: succeeded (1 job(s), all SUCCEEDED)", output, StringComparison.Ordinal);
        Assert.Contains("report | apac: 80", output, StringComparison.Ordinal);
        Assert.Contains("report | 400", output, StringComparison.Ordinal);
        Assert.Contains("Run succeeded.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_ClusterModeCheck_VerificationCatchesWhatLivyCallsSuccess()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "cluster_mode_check");

        Assert.True(exit == 1, output + error);
        Assert.Matches(@"success +believes_livy", output);
        Assert.Contains("verifies |   Livy: succeeded (success)", output, StringComparison.Ordinal);
        Assert.Contains("verifies |   YARN: FAILED (FINISHED/FAILED, diagnostics: User application exited with status 1)", output, StringComparison.Ordinal);
        Assert.Contains("the sources disagree (Livy succeeded, YARN failed, Spark failed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_HttpHealth_SucceedsAgainstTheEmbeddedLocalLivy()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "http_health");

        Assert.True(exit == 0, output + error);
        Assert.Contains("livy_up | Poke 1: GET /version: yes.", output, StringComparison.Ordinal);
        Assert.Contains("list_batches | GET /batches?from=0&size=20 answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DagsTest_DailySales_SucceedsOnTheSampleDayWithTemplatesRendered()
    {
        var (exit, output, error) = await RunAsync("dags", "test", "daily_sales", "--date", "2026-11-20");

        Assert.True(exit == 0, output + error);
        Assert.Contains("wait_for_input | Poke 1: /data/sales/2026-11-20/_SUCCESS", output, StringComparison.Ordinal);
        Assert.Contains("\"args\":[\"--date\",\"2026-11-20\",\"--table\",\"sales\"]", output, StringComparison.Ordinal);
        Assert.Contains("report | customer = 'O\\'Brien \"Ltd\"'", output, StringComparison.Ordinal);
        Assert.Contains("report | Sales report for O'Brien \"Ltd\": sales on 2026-11-20", output, StringComparison.Ordinal);
        Assert.Contains("report | report done for 2026-11-20", output, StringComparison.Ordinal);
    }
}
