using DagRunner.Sdk.Runtime;

namespace DagRunner.Sdk.Tests;

public sealed class ScriptGuardTests
{
    [Fact]
    public void Check_OutsideAWatch_DoesNothing() => ScriptGuard.Check();

    [Fact]
    public void Check_AfterTheWatchedTokenIsCancelled_Throws()
    {
        using var source = new CancellationTokenSource();
        using var watch = ScriptGuard.Watch(source.Token);
        ScriptGuard.Check();

        source.Cancel();

        Assert.Throws<OperationCanceledException>(ScriptGuard.Check);
    }

    [Fact]
    public async Task Check_FlowsIntoTasksStartedUnderTheWatch()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        using var watch = ScriptGuard.Watch(source.Token);

        await Assert.ThrowsAsync<OperationCanceledException>(() => Task.Run(ScriptGuard.Check, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Check_DeepRecursion_ThrowsInsteadOfOverflowingTheStack()
    {
        static int Recurse(int depth)
        {
            ScriptGuard.Check();
            return Recurse(depth + 1) + 1;
        }

        Assert.Throws<InsufficientExecutionStackException>(() => Recurse(0));
    }
}
