using DagRunner.Hosting.Storage;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.Cli.Tests.Storage;

/// <summary>A batch handle kept in a real SQLite file: an unknown verdict survives the runner, so the
/// next try (perhaps in another process) asks about the app again instead of submitting.</summary>
public sealed class StoredRemoteHandlesTests
{
    [Fact]
    public async Task BatchHandle_VerdictAndLivyStateSurviveTheStore()
    {
        using var folder = new TempFolder("handles");
        var handle = new LivyBatchHandle("3", "dagrunner-d-t-abc-1", "dagrunner-tag", "application_1_0003", null, null, LivyBatchHandle.Unknown, "success");
        await using (var store = SqliteRunStore.Open(folder["state.db"]))
            await new StoredRemoteHandles(store).SaveAsync("d|run|t|1", handle, TestContext.Current.CancellationToken);

        await using var reopened = SqliteRunStore.Open(folder["state.db"]);
        var loaded = await new StoredRemoteHandles(reopened).LoadAsync("d|run|t|1", TestContext.Current.CancellationToken);

        Assert.Equal(handle, loaded);
    }
}
