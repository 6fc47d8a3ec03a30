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
    public void Check_OnAThreadOfItsOwnStartedUnderTheWatch_DoesNotThrow()
    {
        // An exception nothing catches on such a thread would end the whole process.
        using var source = new CancellationTokenSource();
        source.Cancel();
        using var watch = ScriptGuard.Watch(source.Token);
        Exception? thrown = null;

        var thread = new Thread(() =>
        {
            try
            {
                ScriptGuard.Check();
            }
            catch (OperationCanceledException ex)
            {
                thrown = ex;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(thrown);
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
