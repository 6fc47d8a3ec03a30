using DagRunner.Engine.Storage;
using DagRunner.Sdk;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.Engine.Tests.Storage;

/// <summary>The task checkpoint over the run store in a real SQLite file: what an attempt records survives
/// the runner, by kind, and the next try finds the previous try's.</summary>
public sealed class StoredCheckpointsTests
{
    private const string RunId = "manual__2026-11-20T00:00:00+00:00";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed record JobHandle(string Id, string? AppId, IReadOnlyList<string?> Outputs);

    [Fact]
    public async Task SaveAsync_StoreReopened_LoadsTheHandleOfEachKind()
    {
        using var folder = new TempFolder("checkpoints");
        var job = new JobHandle("3", "application_1_0003", ["a", null]);
        await using (var store = SqliteRunStore.Open(folder["state.db"]))
        {
            var checkpoint = new StoredCheckpoints(store).For("d", RunId, "t", 1);
            await checkpoint.SaveAsync("job", job, Token);
            await checkpoint.SaveAsync("other", new JobHandle("9", null, []), Token);
        }

        await using var reopened = SqliteRunStore.Open(folder["state.db"]);
        var loaded = new StoredCheckpoints(reopened).For("d", RunId, "t", 1);

        var handle = await loaded.LoadAsync<JobHandle>("job", Token);
        Assert.NotNull(handle);
        Assert.Equal(job.Id, handle.Id);
        Assert.Equal(job.AppId, handle.AppId);
        Assert.Equal(job.Outputs, handle.Outputs);
        Assert.Equal("9", (await loaded.LoadAsync<JobHandle>("other", Token))!.Id);
        Assert.Null(await loaded.LoadAsync<JobHandle>("unknown_kind", Token));
        Assert.True(await reopened.HasHandleAsync(TaskContext.AttemptKeyOf("d", RunId, "t", 1), Token));
    }

    [Fact]
    public async Task SaveAsync_SavedAgain_TheLatestHandleIsKept()
    {
        using var folder = new TempFolder("checkpoints");
        await using var store = SqliteRunStore.Open(folder["state.db"]);
        var checkpoint = new StoredCheckpoints(store).For("d", RunId, "t", 1);

        await checkpoint.SaveAsync("job", new JobHandle("3", null, []), Token);
        await checkpoint.SaveAsync("job", new JobHandle("3", "application_1_0003", []), Token);

        Assert.Equal("application_1_0003", (await checkpoint.LoadAsync<JobHandle>("job", Token))!.AppId);
    }

    [Fact]
    public async Task LoadPreviousAsync_SecondTry_FindsTheFirstTrysHandleAndNotItsOwn()
    {
        using var folder = new TempFolder("checkpoints");
        await using var store = SqliteRunStore.Open(folder["state.db"]);
        var checkpoints = new StoredCheckpoints(store);
        var first = checkpoints.For("d", RunId, "t", 1);
        await first.SaveAsync("job", new JobHandle("3", null, []), Token);
        var second = checkpoints.For("d", RunId, "t", 2);

        Assert.Equal("3", (await second.LoadPreviousAsync<JobHandle>("job", Token))!.Id);
        Assert.Null(await second.LoadAsync<JobHandle>("job", Token));
        Assert.Null(await first.LoadPreviousAsync<JobHandle>("job", Token));
        Assert.Null(await checkpoints.For("d", RunId, "other_task", 2).LoadPreviousAsync<JobHandle>("job", Token));
    }

    [Fact]
    public async Task AttemptKey_IsTheContextsAttemptKey()
    {
        using var folder = new TempFolder("checkpoints");
        await using var store = SqliteRunStore.Open(folder["state.db"]);

        var checkpoint = new StoredCheckpoints(store).For("d", RunId, "t", 2);

        Assert.Equal(TaskContext.AttemptKeyOf("d", RunId, "t", 2), checkpoint.AttemptKey);
    }
}
