namespace DagRunner.Sdk.Tests;

/// <summary>The checkpoint a context gives its operator when the host gives none: memory of that context.</summary>
public sealed class TaskCheckpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record Handle(string Id);

    private static TaskContext Context(int tryNumber = 1, TaskCheckpoint? checkpoint = null)
    {
        var context = new TaskContext { DagId = "d", TaskId = "t", RunId = "r", LogicalDate = DateTimeOffset.UnixEpoch, TryNumber = tryNumber };
        return checkpoint is null ? context : new TaskContext { DagId = "d", TaskId = "t", RunId = "r", LogicalDate = DateTimeOffset.UnixEpoch, TryNumber = tryNumber, Checkpoint = checkpoint };
    }

    [Fact]
    public async Task Default_SavedHandle_LoadsBackByKindOnly()
    {
        var context = Context();

        await context.Checkpoint.SaveAsync("job", new Handle("3"), Token);

        Assert.Equal(new Handle("3"), await context.Checkpoint.LoadAsync<Handle>("job", Token));
        Assert.Null(await context.Checkpoint.LoadAsync<Handle>("other", Token));
        Assert.Equal(context.AttemptKey, context.Checkpoint.AttemptKey);
    }

    [Fact]
    public async Task Default_EachContextHasItsOwn()
    {
        await Context().Checkpoint.SaveAsync("job", new Handle("3"), Token);

        Assert.Null(await Context().Checkpoint.LoadAsync<Handle>("job", Token));
    }

    [Fact]
    public async Task SharedStore_NextTryFindsThePreviousTrysHandle()
    {
        var store = CheckpointStore.InMemory();
        await Context(1, store.For("d", "r", "t", 1)).Checkpoint.SaveAsync("job", new Handle("3"), Token);

        var second = Context(2, store.For("d", "r", "t", 2));

        Assert.Equal(new Handle("3"), await second.Checkpoint.LoadPreviousAsync<Handle>("job", Token));
        Assert.Null(await second.Checkpoint.LoadAsync<Handle>("job", Token));
        Assert.Null(await Context(1, store.For("d", "r", "t", 1)).Checkpoint.LoadPreviousAsync<Handle>("job", Token));
    }
}
