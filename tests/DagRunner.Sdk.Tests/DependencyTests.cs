namespace DagRunner.Sdk.Tests;

public sealed class DependencyTests
{
    private static string[] Ids(IEnumerable<DagTask> tasks) => [.. tasks.Select(t => t.TaskId)];

    [Fact]
    public void RightShift_Chain_LinksLeftToRightAndReturnsTheRightTask()
    {
        var (a, b, c) = (new TestTask("a"), new TestTask("b"), new TestTask("c"));

        var last = a >> b >> c;

        Assert.Same(c, last);
        Assert.Equal(["b"], Ids(a.Downstream));
        Assert.Equal(["a"], Ids(b.Upstream));
        Assert.Equal(["b"], Ids(c.Upstream));
    }

    [Fact]
    public void LeftShift_MakesTheLeftTaskRunAfterTheRightAndReturnsTheRight()
    {
        var (a, b) = (new TestTask("a"), new TestTask("b"));

        var returned = b << a;

        Assert.Same(a, returned);
        Assert.Equal(["a"], Ids(b.Upstream));
    }

    [Fact]
    public void RightShift_WithArrays_FansOutAndIn()
    {
        var (a, b, c, d) = (new TestTask("a"), new TestTask("b"), new TestTask("c"), new TestTask("d"));

        _ = a >> new DagTask[] { b, c } >> d;

        Assert.Equal(["b", "c"], Ids(a.Downstream));
        Assert.Equal(["b", "c"], Ids(d.Upstream));
    }

    [Fact]
    public void LeftShift_WithArrays_LinksEveryTask()
    {
        var (a, b, c) = (new TestTask("a"), new TestTask("b"), new TestTask("c"));

        _ = c << new DagTask[] { a, b };
        _ = new DagTask[] { a, b } << new TestTask("root");

        Assert.Equal(["a", "b"], Ids(c.Upstream));
        Assert.Equal(["root"], Ids(a.Upstream));
    }

    [Fact]
    public void Then_ChainsFanOutAndFanIn()
    {
        var (a, b, c, d) = (new TestTask("a"), new TestTask("b"), new TestTask("c"), new TestTask("d"));

        var end = a.Then(b, c).Then(d);

        Assert.Same(d, end);
        Assert.Equal(["b", "c"], Ids(a.Downstream));
        Assert.Equal(["b", "c"], Ids(d.Upstream));
    }

    [Fact]
    public void Then_SingleTask_ReturnsItWithItsOwnType()
    {
        var a = new TestTask("a");
        var b = new TestTask("b");

        TestTask returned = a.Then(b);

        Assert.Same(b, returned);
    }

    [Fact]
    public void SetUpstreamAndSetDownstream_AreMirrorImages()
    {
        var (a, b, c) = (new TestTask("a"), new TestTask("b"), new TestTask("c"));

        b.SetUpstream(a);
        b.SetDownstream(c);

        Assert.Equal(["b"], Ids(a.Downstream));
        Assert.Equal(["b"], Ids(c.Upstream));
    }

    [Fact]
    public void Edges_AddedTwice_AreKeptOnce()
    {
        var (a, b) = (new TestTask("a"), new TestTask("b"));

        _ = a >> b;
        _ = a >> b;
        a.Then(b);
        b.SetUpstream(a);

        Assert.Single(a.Downstream);
        Assert.Single(b.Upstream);
    }
}
