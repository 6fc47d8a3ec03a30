using DagRunner.Testing;

namespace DagRunner.Cli.Tests;

public sealed class LocalLivyCommandTests
{
    [Fact]
    public async Task LocalLivy_WithoutDagsFolder_StartsPrintsBannerAndStopsOnCancel()
    {
        using var cli = new CliRun();
        cli.Root.Write("jobs/a.py", "print(1)\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cli.OutputWriter = new CancelOnLine("Ctrl+C stops it", cancel);

        var result = await cli.RunAsync(cancel.Token, "local-livy", "--port", "0", "--jobs-root", "jobs");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"^LocalLivy on http://127\.0\.0\.1:\d+/: Livy /sessions /batches, YARN /ws/v1/cluster, Spark /api/v1, WebHDFS /webhdfs/v1; jobs from jobs, HDFS at \.dagrunner/local-livy/hdfs\.", result.Output);
        Assert.Contains("LocalLivy stopping", result.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(cli.Root[".dagrunner/local-livy/hdfs"]), "the WebHDFS root lives under the home folder");
    }

    [Theory]
    [InlineData("--port=70000", "Port must be between 0 and 65535")]
    [InlineData("--jobs-root=missing", "does not exist")]
    public async Task LocalLivy_BadOption_Exits2WithTheReason(string option, string reason)
    {
        using var cli = new CliRun();

        string[] args = option.StartsWith("--port", StringComparison.Ordinal) ? ["local-livy", option] : ["local-livy", "--port=0", option];
        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("LocalLivy cannot start: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }
}
