using System.Text.Json;
using DagRunner.Operators.Livy.Batch;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>What each source said is recorded in the batch's handle with the verdict, so a front end
/// (the web UI's evidence panel) shows who said what without reading the log.</summary>
public sealed class LivyBatchEvidenceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClusterModeQuirk_TheHandleRecordsLivySuccessYarnAndSparkFailed()
    {
        await using var bed = await LivyTestbed.StartAsync(o => o.ClusterModeQuirk = true);
        bed.Jobs.Write("fails.py", "import sys\nsys.exit(1)\n");
        var task = new LivyBatchOperator("t") { File = "local:///fails.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100), VerifyTimeout = TimeSpan.FromSeconds(10) };
        var context = bed.Context("t", TextWriter.Null);

        await Assert.ThrowsAsync<LivyBatchFailedException>(() => task.ExecuteAsync(context, Token));

        var handle = (await context.Checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, Token))!;
        Assert.Equal(("failed", "success"), (handle.Verdict, handle.LivyState));
        Assert.NotNull(handle.Evidence);
        Assert.Equal(["Livy", "YARN", "Spark"], handle.Evidence.Select(e => e.Source));
        Assert.Equal(new SourceEvidence("Livy", "succeeded", "success"), handle.Evidence[0]);
        Assert.Equal("failed", handle.Evidence[1].Verdict);
        Assert.StartsWith("FINISHED/FAILED, diagnostics: User application exited with status 1", handle.Evidence[1].Said, StringComparison.Ordinal);
        Assert.Equal(("failed", "the driver exited with code 1"), (handle.Evidence[2].Verdict, handle.Evidence[2].Said));
    }

    [Fact]
    public void AHandleRecordedBeforeEvidenceWasKept_StillLoads_WithoutEvidence()
    {
        const string old = """{"BatchId":"7","Name":"n","Tag":"t","AppId":"application_1_0007","SparkUiUrl":null,"DriverLogUrl":null,"Verdict":"failed","LivyState":"success"}""";

        var handle = JsonSerializer.Deserialize<LivyBatchHandle>(old)!;

        Assert.Equal(("7", "failed"), (handle.BatchId, handle.Verdict));
        Assert.Null(handle.Evidence);
    }
}
