using DagRunner.Engine.Storage;
using DagRunner.Testing;
using DagRunner.Storage.Contract;

namespace DagRunner.Storage.Sqlite.Tests;

/// <summary>The run store contract on a real SQLite file: each open is another instance on the same file.</summary>
public sealed class SqliteStoreContractTests : RunStoreContract, IDisposable
{
    private readonly TempFolder _folder = new("store-contract");

    public void Dispose() => _folder.Dispose();

    protected override Task<IRunStore> OpenAsync() => Task.FromResult<IRunStore>(SqliteRunStore.Open(_folder["state.db"]));
}
