using DagRunner.Hosting.Dev;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Hosting.Tests.Dev;

/// <summary>An editor's save burst becomes one batch, on a fake clock.</summary>
public sealed class SaveBatcherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveBurst_BecomesOneBatchOnceTheFolderIsQuiet()
    {
        var time = new FakeTimeProvider();
        using var batcher = new SaveBatcher(time, TimeSpan.FromMilliseconds(100));

        // What vim does on :w, roughly: probe file, swap file, the file written, written again.
        batcher.Notify("/p/dags/4913");
        batcher.Notify("/p/dags/.etl.csx.swp");
        batcher.Notify("/p/dags/etl.csx");
        time.Advance(TimeSpan.FromMilliseconds(60));
        batcher.Notify("/p/dags/etl.csx");
        batcher.Notify("/p/templates/report/load.py.sbn");
        time.Advance(TimeSpan.FromMilliseconds(60));
        var early = batcher.NextAsync(Token);
        Assert.False(early.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(["/p/dags/etl.csx", "/p/templates/report/load.py.sbn"], await early);
    }

    [Fact]
    public async Task TwoSavesApart_AreTwoBatches()
    {
        var time = new FakeTimeProvider();
        using var batcher = new SaveBatcher(time, TimeSpan.FromMilliseconds(100));

        batcher.Notify("/p/dags/a.csx");
        time.Advance(TimeSpan.FromMilliseconds(150));
        batcher.Notify("/p/dags/b.csx");
        time.Advance(TimeSpan.FromMilliseconds(150));

        Assert.Equal(["/p/dags/a.csx"], await batcher.NextAsync(Token));
        Assert.Equal(["/p/dags/b.csx"], await batcher.NextAsync(Token));
    }

    [Theory]
    [InlineData("etl.csx~", true)]
    [InlineData(".#etl.csx", true)]
    [InlineData("#etl.csx#", true)]
    [InlineData("etl.csx.tmp", true)]
    [InlineData("etl.csx", false)]
    [InlineData("load.py.sbn", false)]
    public void EditorTemporaryFiles_AreRecognised(string name, bool temporary) => Assert.Equal(temporary, SaveBatcher.IsEditorTemporary(name));
}
