namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary>With spark-submit available, a batch is a real spark-submit run in local mode. The
/// machine has no Spark, so a stand-in script prints the arguments it was given.</summary>
public sealed class SparkSubmitTests
{
    [Fact]
    public async Task Batch_WithSparkSubmit_PassesLivyFieldsAsSparkSubmitOptions()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The stand-in spark-submit is a shell script.");
            return;
        }

        using var tools = new DagRunner.Testing.TempFolder("fake-spark");
        var sparkSubmit = tools.Write("spark-submit", "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\n");
        File.SetUnixFileMode(sparkSubmit, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var livy = await LivyTestServer.StartAsync(o => o.SparkSubmit = sparkSubmit);
        livy.Jobs.Write("jobs/app.jar", "not really a jar");
        livy.Jobs.Write("libs/dep.jar", "");

        var id = await livy.CreateBatchAsync(new
        {
            file = "local:///jobs/app.jar",
            className = "com.example.Main",
            args = new[] { "--date", "2026-11-24", "two words" },
            jars = new[] { "local:///libs/dep.jar" },
            name = "nightly",
            driverMemory = "2g",
            numExecutors = 3,
            conf = new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "64" },
        });
        await livy.WaitForBatchAsync(id, "success");
        var args = (await livy.FullLogAsync(id)).Where(l => l.StartsWith("arg:", StringComparison.Ordinal)).Select(l => l["arg:".Length..]).ToList();

        Assert.Equal(
            [
                "--master", "local[*]", "--deploy-mode", "client", "--name", "nightly", "--class", "com.example.Main",
                "--jars", livy.Jobs["libs/dep.jar"], "--driver-memory", "2g", "--num-executors", "3",
                "--conf", "spark.sql.shuffle.partitions=64",
                livy.Jobs["jobs/app.jar"], "--date", "2026-11-24", "two words",
            ],
            args);
    }

    [Fact]
    public async Task JarBatch_WithoutSparkSubmit_DeadWithTheReasonInTheLog()
    {
        await using var livy = await LivyTestServer.StartAsync(o => o.SparkSubmit = null);
        Assert.SkipUnless(DagRunner.LocalLivy.Execution.Tools.FindSparkSubmit() is null, "This machine has spark-submit.");
        livy.Jobs.Write("app.jar", "");

        var id = await livy.CreateBatchAsync(new { file = "local:///app.jar", className = "Main" });
        await livy.WaitForBatchAsync(id, "dead");

        Assert.Contains(await livy.FullLogAsync(id), l => l.Contains("without spark-submit", StringComparison.Ordinal) && l.Contains("only .py batches", StringComparison.Ordinal));
    }
}
