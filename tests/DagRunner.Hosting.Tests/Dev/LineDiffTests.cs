using DagRunner.Hosting.Dev;

namespace DagRunner.Hosting.Tests.Dev;

public sealed class LineDiffTests
{
    [Fact]
    public void ChangedLine_ShowsTheOldLineThenTheNew()
    {
        var lines = LineDiff.Describe("a\nb\nc", "a\nB\nc");

        Assert.Equal(["-   2 | b", "+   2 | B"], lines);
    }

    [Fact]
    public void AddedAndRemovedLines_CarryTheirOwnLineNumbers()
    {
        var lines = LineDiff.Describe("keep\ngone\nkeep too", "new first\nkeep\nkeep too\nnew last");

        Assert.Equal(["+   1 | new first", "-   2 | gone", "+   4 | new last"], lines);
    }

    [Fact]
    public void SameText_HasNoLines() => Assert.Empty(LineDiff.Describe("x\ny", "x\ny"));
}
