using System.Diagnostics;
using DagRunner.Operators.SparkSubmit;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.SparkSubmit;

/// <summary>The spark-submit command is an argument list: values reach the program exactly, options come
/// in spark-submit's order before the application, and the log shows it one option per line, masked.</summary>
public sealed class SparkSubmitCommandTests
{
    private static readonly SparkSubmitOptions Typical = new()
    {
        Master = "yarn",
        DeployMode = "cluster",
        Name = "etl daily",
        ClassName = "com.acme.Etl",
        Jars = ["a.jar", "b.jar"],
        ExecutorMemory = "4g",
        NumExecutors = 3,
        Conf = new Dictionary<string, string> { ["spark.yarn.tags"] = "team", ["spark.x.password"] = "s3cret-value" },
        Application = "hdfs:///apps/etl.jar",
        Args = ["--date", "2026-11-20", "it's \"$HOME\" and `date`; rm -rf /", ""],
    };

    [Fact]
    public void Arguments_AreInSparkSubmitsOrder_WithTheAttemptsTagJoinedToTheUsersTags()
    {
        var command = SparkSubmitCommand.Build(Typical, "dagrunner-attempt-1");

        Assert.Equal(
            [
                "--master", "yarn", "--deploy-mode", "cluster", "--name", "etl daily", "--class", "com.acme.Etl",
                "--jars", "a.jar,b.jar", "--executor-memory", "4g", "--num-executors", "3",
                "--conf", "spark.x.password=s3cret-value", "--conf", "spark.yarn.tags=team,dagrunner-attempt-1",
                "hdfs:///apps/etl.jar", "--date", "2026-11-20", "it's \"$HOME\" and `date`; rm -rf /", "",
            ],
            command.Arguments);
        Assert.Equal("spark-submit", command.Program);
    }

    [Fact]
    public async Task Arguments_ReachAProgramUnchanged_NoShellInBetween()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "python3 as the stand-in program");
        var command = SparkSubmitCommand.Build(Typical with { Program = "python3" }, "tag");
        var start = new ProcessStartInfo(command.Program) { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, json; print(json.dumps(sys.argv[1:]))");
        foreach (var argument in command.Arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(command.Arguments, System.Text.Json.JsonSerializer.Deserialize<string[]>(output)!);
    }

    [Fact]
    public void Describe_PutsOneOptionOnALine_QuotesWhatAShellWouldSplit_AndMasksSecrets()
    {
        var secrets = new SecretMasker();
        secrets.Add("s3cret-value");

        var text = SparkSubmitCommand.Build(Typical, "tag").Describe(secrets);

        Assert.DoesNotContain("s3cret-value", text, StringComparison.Ordinal);
        Assert.Contains("\n  --conf 'spark.x.password=***'", text, StringComparison.Ordinal);
        Assert.Contains("\n  --name 'etl daily'", text, StringComparison.Ordinal);
        Assert.Contains("\n    'it'\\''s \"$HOME\" and `date`; rm -rf /'", text, StringComparison.Ordinal);
        Assert.StartsWith("spark-submit \\\n  --master yarn \\\n  --deploy-mode cluster", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutAnApplication_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SparkSubmitCommand.Build(Typical with { Application = " " }, "tag"));
    }
}
