using System.Security.Cryptography;
using DagRunner.Engine.Storage;
using DagRunner.Testing;
using Microsoft.Data.Sqlite;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>Opening the store file: what is not a healthy DagRunner store is refused with a message that
/// names it and what to do, and is left byte for byte as it was; a new store appears whole or not at all.</summary>
public sealed class StoreFileTests : IDisposable
{
    private readonly TempFolder _folder = new("store-file");

    private string StorePath => _folder["state.db"];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_ZeroBytes_IsRefused_NotTakenForANewStore()
    {
        File.WriteAllBytes(StorePath, []);

        var error = Assert.Throws<RunStoreException>(() => SqliteRunStore.Open(StorePath));

        Assert.Equal($"The run store {StorePath} is empty (0 bytes), so it is not a DagRunner store (a store is never empty): move it away (a new store is then created) or restore it from a backup.", error.Message);
        Assert.Equal(0, new FileInfo(StorePath).Length);
    }

    [Fact]
    public void Open_RandomBytes_IsRefused_FileUnchanged()
    {
        var bytes = RandomNumberGenerator.GetBytes(16 * 1024);
        File.WriteAllBytes(StorePath, bytes);

        var error = Assert.Throws<RunStoreException>(() => SqliteRunStore.Open(StorePath));

        Assert.StartsWith($"The run store {StorePath} is damaged or not a database", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(StorePath));
    }

    [Fact]
    public async Task Open_DamagedPages_AreFoundBeforeAnythingIsWritten()
    {
        await using (var store = SqliteRunStore.Open(StorePath))
        {
            for (var i = 0; i < 200; i++)
                await store.ReplaceImportErrorsAsync([new Engine.Definitions.ImportError { File = $"f{i}.csx", Message = new string('x', 500) }], DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(StorePath);
        // Past the header and the schema page: the data pages are overwritten.
        RandomNumberGenerator.Fill(bytes.AsSpan(4096 * 2, Math.Min(4096 * 4, bytes.Length - (4096 * 2))));
        File.WriteAllBytes(StorePath, bytes);

        var error = Assert.Throws<RunStoreException>(() => SqliteRunStore.Open(StorePath));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(StorePath));
    }

    [Fact]
    public void Open_AnotherProgramsSqliteFile_IsRefused_NotMigrated()
    {
        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE photos (id INTEGER PRIMARY KEY);";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(StorePath);

        var error = Assert.Throws<RunStoreException>(() => SqliteRunStore.Open(StorePath));

        Assert.Contains("is an SQLite database but not a DagRunner run store", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(StorePath));
    }

    [Fact]
    public async Task Open_ANewStore_IsCreatedWhole_NoTemporaryFileLeft_TwoOpeningAtOnceShareIt()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqliteRunStore.Open(StorePath), TestContext.Current.CancellationToken)));
        foreach (var store in stores)
            await store.DisposeAsync();

        Assert.Equal(["state.db"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Where(n => !n!.EndsWith("-wal", StringComparison.Ordinal) && !n.EndsWith("-shm", StringComparison.Ordinal)));
        Assert.True(new FileInfo(StorePath).Length > 0);
    }

    [Fact]
    public void Open_HomeIsAFile_IsRefused()
    {
        var home = _folder.Write("home", "a file");

        var error = Assert.Throws<RunStoreException>(() => SqliteRunStore.Open(Path.Combine(home, "state.db")));

        Assert.Equal($"The home {home} is a file, not a folder: point --home (or DAGRUNNER_HOME) at a folder.", error.Message);
    }

    [Fact]
    public async Task Check_StoreDeletedWhileOpen_Throws()
    {
        await using var store = SqliteRunStore.Open(StorePath);
        await store.CheckAsync(TestContext.Current.CancellationToken);

        File.Delete(StorePath);

        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.CheckAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith($"The run store {StorePath} was deleted while in use", error.Message, StringComparison.Ordinal);
    }
}
