using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>When one of a batch operator's own waits runs out, the failure names the wait (its
/// option) and how long it was, never just "The operation was canceled.".</summary>
public sealed class LivyBatchWaitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LivyUnreachableWhileFollowing_FailsNamingTheWaitAndItsLength()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("wait.py", "import time\ntime.sleep(60)\n");
        var task = new LivyBatchOperator("t") { File = "local:///wait.py", VerifyIn = VerifyIn.None, PollInterval = TimeSpan.FromMilliseconds(100), UnreachableTimeout = TimeSpan.FromSeconds(1) };
        using var log = new LineSignal();

        var running = task.ExecuteAsync(bed.Context("t", log), Token);
        await log.WaitForAsync(": app application_", Token);
        bed.Server.Faults.AnswerRequests("GET", "/batches/0", 503);
        var error = await Assert.ThrowsAsync<TaskFailedException>(() => running);

        Assert.Contains($"Livy at {bed.Server.BaseUrl} could not be reached for ", error.Message, StringComparison.Ordinal);
        Assert.Contains("while following batch 0 (LivyBatchOperator.UnreachableTimeout is 1 s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Stopped: deleted Livy batch 0", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledWhileLivyRefusesToDelete_CleanupTimeoutNamedInTheLog()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Jobs.Write("slow.py", "import time\nprint('working', flush=True)\ntime.sleep(60)\n");
        bed.Server.Faults.AnswerRequests("DELETE", "/batches", 503);
        var task = new LivyBatchOperator("slow") { File = "local:///slow.py", PollInterval = TimeSpan.FromMilliseconds(100), CleanupTimeout = TimeSpan.FromSeconds(1) };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("working", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.ExecuteAsync(bed.Context("slow", log), cancel.Token));

        Assert.Contains("Batch 0 could not be cleaned up: Livy did not confirm within 1 s (LivyBatchOperator.CleanupTimeout)", log.ToString(), StringComparison.Ordinal);
        bed.Server.Faults.ClearRequestRules();
        Assert.True(await bed.Clients.Livy("livy_default").DeleteBatchAsync("0", Token));
    }
}
