using DagRunner.Engine.Storage;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>Livy handles in a real SQLite file through the task checkpoint: a state.db written before the
/// checkpoint existed (kinds <c>livy_batch</c>/<c>livy_session</c>, the records' JSON) still reattaches,
/// and what is written now is the same JSON, so an older runner reads it too.</summary>
public sealed class LivyHandleStorageTests
{
    private const string RunId = "manual__2026-11-20T00:00:00+00:00";
    private const string Key = "d|" + RunId + "|t|1";

    // Rows exactly as the runner before the checkpoint wrote them.
    private const string OldBatchRow =
        """{"BatchId":"3","Name":"dagrunner-d-t-abc-1","Tag":"dagrunner-tag","AppId":"application_1_0003","SparkUiUrl":null,"DriverLogUrl":null,"Verdict":"unknown","LivyState":"success"}""";
    private const string OldSessionRow = """{"SessionId":"5","Name":"dagrunner-d-t-abc-1","Outputs":["1",null],"RunningStatementId":"2"}""";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OldFormatRows_LoadThroughTheCheckpoint()
    {
        using var folder = new TempFolder("handles");
        await using (var store = SqliteRunStore.Open(folder["state.db"]))
        {
            await store.SaveHandleAsync(Key, "livy_batch", OldBatchRow, Token);
            await store.SaveHandleAsync(Key, "livy_session", OldSessionRow, Token);
        }

        await using var reopened = SqliteRunStore.Open(folder["state.db"]);
        var checkpoint = new StoredCheckpoints(reopened).For("d", RunId, "t", 1);

        var batch = await checkpoint.LoadAsync<LivyBatchHandle>(LivyBatchHandle.Kind, Token);
        var session = await checkpoint.LoadAsync<LivySessionHandle>(LivySessionHandle.Kind, Token);
        Assert.Equal(new LivyBatchHandle("3", "dagrunner-d-t-abc-1", "dagrunner-tag", "application_1_0003", null, null, LivyBatchHandle.Unknown, "success"), batch);
        Assert.NotNull(session);
        Assert.Equal(("5", "dagrunner-d-t-abc-1", "2"), (session.SessionId, session.Name, session.RunningStatementId));
        Assert.Equal(["1", null], session.Outputs);
    }

    [Fact]
    public async Task SaveAsync_WritesTheKindsAndJsonOfBefore()
    {
        using var folder = new TempFolder("handles");
        await using var store = SqliteRunStore.Open(folder["state.db"]);
        var checkpoint = new StoredCheckpoints(store).For("d", RunId, "t", 1);

        await checkpoint.SaveAsync(LivyBatchHandle.Kind, new LivyBatchHandle("3", "dagrunner-d-t-abc-1", "dagrunner-tag", "application_1_0003", null, null, LivyBatchHandle.Unknown, "success"), Token);
        await checkpoint.SaveAsync(LivySessionHandle.Kind, new LivySessionHandle("5", "dagrunner-d-t-abc-1", ["1", null], "2"), Token);

        Assert.Equal(OldBatchRow, await store.LoadHandleAsync(Key, "livy_batch", Token));
        Assert.Equal(OldSessionRow, await store.LoadHandleAsync(Key, "livy_session", Token));
    }
}
