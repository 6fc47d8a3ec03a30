using DagRunner.Engine.Execution;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Configuration;
using DagRunner.Hosting.Dags;

namespace DagRunner.Hosting.Scheduling;

/// <summary>
/// How this process takes part in the work several processes share over a server store (PostgreSQL): the
/// board its run drivers and worker meet on, the executor that only drives runs, and the worker that claims
/// tasks. Over SQLite (one process) there is no shared work: <see cref="Shared"/> is false, and the scheduler runs
/// its runs' tasks itself.
/// </summary>
public sealed class SharedWork(
    DagRunnerSettings settings,
    Func<IRunStore> store,
    Func<ExecutionSlots> slots,
    ExecutorOptions executorOptions,
    TimeProvider time,
    DagCatalog catalog,
    IServiceProvider services)
{
    private SharedTaskBoard? _board;

    /// <summary>Whether the store is shared by several processes (known from the settings, before it opens).</summary>
    public bool Shared => settings.SharesStore;

    /// <summary>The board, once the store is open; null when the store is not shared.</summary>
    public SharedTaskBoard? Board
    {
        get
        {
            if (!Shared)
                return null;
            return _board ??= (store() as MaskingRunStore)?.SharedTasks is { } tasks ? new SharedTaskBoard(tasks, new SharedTaskOptions()) : null;
        }
    }

    /// <summary>The executor that drives runs whose tasks the workers run.</summary>
    public DagRunExecutor Driver() =>
        new(store(), slots(), executorOptions, time, services, Board ?? throw new InvalidOperationException("The run store is not shared."));

    /// <summary>A worker over the shared tasks of the DAGs the catalog has loaded, serving <paramref name="pools"/> (null: all).</summary>
    public TaskWorker Worker(IReadOnlySet<string>? pools = null) =>
        new(Board ?? throw new InvalidOperationException("The run store is not shared."), store(), executorOptions, time, catalog.CurrentAsync, services, pools);
}
