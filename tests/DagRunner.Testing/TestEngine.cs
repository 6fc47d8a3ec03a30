using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Storage.Sqlite;

namespace DagRunner.Testing;

/// <summary>The engine as a host assembles it, on a real SQLite file in a temp folder: store, slots,
/// executor and the <c>dags test</c> runner.</summary>
public sealed class TestEngine : IAsyncDisposable
{
    public TestEngine(TimeProvider? time = null, string? logsFolder = null, TimeSpan? cleanupGrace = null, int parallelism = 32,
        IReadOnlyDictionary<string, int>? pools = null, IServiceProvider? services = null)
    {
        Time = time ?? TimeProvider.System;
        Store = SqliteRunStore.Open(Folder["state.db"]);
        Options = new ExecutorOptions
        {
            LogsFolder = logsFolder ?? Folder["logs"],
            CleanupGrace = cleanupGrace ?? TimeSpan.FromMinutes(1),
            Parallelism = parallelism,
            Pools = pools ?? new Dictionary<string, int>(),
        };
        Slots = new ExecutionSlots(Options);
        Executor = new DagRunExecutor(Store, Slots, Options, Time, services);
        Runner = new DagTestRunner(Store, Executor, Time);
    }

    public TempFolder Folder { get; } = new("engine");

    public TimeProvider Time { get; }

    public SqliteRunStore Store { get; }

    public ExecutorOptions Options { get; }

    public ExecutionSlots Slots { get; }

    public DagRunExecutor Executor { get; }

    public DagTestRunner Runner { get; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Slots.Dispose();
        Folder.Dispose();
    }
}
