using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The EMR example through the real executable: with no aws_default configured, the embedded LocalLivy
/// serves EMR's API, and the DAG's cluster, steps, sensor and termination run on it, each Spark step verified in
/// YARN and Spark.</summary>
public sealed class EmrEndToEndTests : IDisposable
{
    private readonly TempFolder _home = new("dagrunner-emr-home");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task ExampleEmrSteps_RunsOnTheEmbeddedLocalLivy_EachStepVerified()
    {
        var (exit, output, error) = await DagRunnerProcess.RunAsync(DagRunnerProcess.RepositoryRoot, "dags", "test", "emr_steps", "--home", _home.Path);

        Assert.True(exit == 0, output + error);
        Assert.Contains("create_cluster | [dagrunner] EMR started cluster j-", output, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(output, "aggregate |   EMR: succeeded (COMPLETED)"));
        Assert.Equal(2, CountOf(output, "aggregate |   YARN: succeeded (FINISHED/SUCCEEDED)"));
        Assert.Equal(2, CountOf(output, "aggregate |   Spark: succeeded"));
        Assert.Contains("report_done | Poke", output, StringComparison.Ordinal);
        Assert.Contains("terminate_cluster | [dagrunner] EMR: cluster j-", output, StringComparison.Ordinal);
        Assert.Contains("Run succeeded.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("local-livy-key", output + error, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
