using DagRunner.Operators.Livy.Batch;

namespace DagRunner.Operators.Tests.Livy;

public sealed class LivyLogFollowerTests
{
    private static string[] Log(IEnumerable<string> stdout, params string[] diagnostics) =>
        ["stdout: ", .. stdout, "\nstderr: ", "\nYARN Diagnostics: ", .. diagnostics];

    [Fact]
    public void Growing_MarkersMoving_EachLineOnce()
    {
        var follower = new LivyLogFollower();

        var first = follower.NewLines(Log(["a", "b"]));
        var second = follower.NewLines(Log(["a", "b", "c", "d"]));
        var third = follower.NewLines(Log(["a", "b", "c", "d"], "User application exited with status 1"));

        Assert.Equal(["a", "b"], first);
        Assert.Equal(["c", "d"], second);
        Assert.Equal(["YARN: User application exited with status 1"], third);
    }

    [Fact]
    public void RollingWindow_OldLinesDropped_NewOnesStillFound()
    {
        var follower = new LivyLogFollower();
        follower.NewLines(Log(Enumerable.Range(0, 200).Select(i => $"line {i}")));

        var next = follower.NewLines(Log(Enumerable.Range(30, 200).Select(i => $"line {i}")));

        Assert.Equal(Enumerable.Range(200, 30).Select(i => $"line {i}"), next);
    }

    [Fact]
    public void NothingNew_NothingShown()
    {
        var follower = new LivyLogFollower();
        follower.NewLines(Log(["a"]));

        Assert.Empty(follower.NewLines(Log(["a"])));
        Assert.Empty(follower.NewLines(["stdout: ", "\nstderr: ", "\nYARN Diagnostics: "]));
    }

    [Fact]
    public void RepeatedLines_CountedNotCollapsed()
    {
        var follower = new LivyLogFollower();
        follower.NewLines(Log(["tick", "tick"]));

        Assert.Equal(["tick"], follower.NewLines(Log(["tick", "tick", "tick"])));
    }

    [Fact]
    public void Stderr_IsMarked()
    {
        var follower = new LivyLogFollower();

        Assert.Equal(["out", "stderr: err"], follower.NewLines(["stdout: ", "out", "\nstderr: ", "err", "\nYARN Diagnostics: "]));
    }
}
