using DagRunner.Engine.Definitions;
using DagRunner.Engine.Storage;
using DagRunner.Scripting;
using DagRunner.Scripting.Loading;

namespace DagRunner.Hosting.Dags;

/// <summary>
/// The DAGs of the DAGs folder, for every front end: the scheduler, <c>dev</c>, the <c>dags</c> and
/// <c>tasks</c> commands and the web UI. It loads the folder through the one <see cref="DagFolderLoader"/>
/// (which runs only the files that changed), keeps the import errors, and finds a DAG or a task.
/// </summary>
/// <remarks>
/// Two ways in. <see cref="LoadAsync"/> loads now and writes nothing: a one-shot command (<c>dags
/// list</c>) must not create the run store just to look. <see cref="CurrentAsync"/> is what a
/// long-running host asks on every pass: the folder is loaded again only when its
/// <see cref="FolderStamp"/> (or the templates folder's) changed, so an unchanged pass costs a
/// directory listing; each such load's import errors replace those kept in the run store (the UI and
/// <c>dags state</c> show why a DAG is missing) and are announced by <see cref="Reloaded"/>.
/// </remarks>
public sealed class DagCatalog : IDisposable
{
    private readonly DagFolderLoader _loader;
    private readonly string _dagsFolder;
    private readonly string _templatesFolder;
    private readonly Func<IRunStore> _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private string? _stamp;
    private LoadedDags _current = new();
    private readonly SemaphoreSlim _runnable = new(1, 1);
    private (LoadedDags Load, string File, LoadedDags Dags)? _lastRun;

    /// <summary>Creates a catalog over <paramref name="loader"/>'s folders. <paramref name="store"/> is
    /// asked for the run store only when import errors are to be kept (it opens on first use).</summary>
    public DagCatalog(DagFolderLoader loader, ScriptingOptions options, Func<IRunStore> store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _loader = loader;
        _dagsFolder = options.DagsFolder;
        _templatesFolder = options.TemplatesFolder;
        _store = store;
        _time = time;
    }

    /// <summary>The DAGs folder (a front end shows the files in it relative to it).</summary>
    public string DagsFolder => _dagsFolder;

    /// <summary>Raised after <see cref="CurrentAsync"/> loaded the folder again, before its import
    /// errors are written to the run store.</summary>
    public event Action<LoadedDags>? Reloaded;

    /// <summary>Loads the folder now, writing nothing.</summary>
    public async Task<LoadedDags> LoadAsync(CancellationToken cancellationToken) =>
        LoadedDags.From(await _loader.LoadAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Loads the folder and finds <paramref name="dagId"/> in it.</summary>
    public async Task<DagLookup> FindAsync(string dagId, CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken).ConfigureAwait(false)).Find(dagId);

    /// <summary>Loads the folder and finds task <paramref name="taskId"/> of DAG <paramref name="dagId"/>:
    /// the DAG's lookup, and the task's when the DAG was found.</summary>
    public async Task<(DagLookup Dag, TaskLookup? Task)> FindTaskAsync(string dagId, string taskId, CancellationToken cancellationToken)
    {
        var dag = await FindAsync(dagId, cancellationToken).ConfigureAwait(false);
        return (dag, dag.Found ? dag.FindTask(taskId) : null);
    }

    /// <summary>Pauses <paramref name="dag"/> (the scheduler creates and starts no new runs of it) or unpauses it.</summary>
    public Task SetPausedAsync(DagDefinition dag, bool paused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        return _store().SetPausedAsync(dag.DagId, paused, cancellationToken);
    }

    /// <summary>Finds <paramref name="dagId"/> in the current load (<see cref="RefreshAsync"/>: the folder is
    /// loaded again only when it changed), as a long-running front end asks on every request.</summary>
    public async Task<DagLookup> FindCurrentAsync(string dagId, CancellationToken cancellationToken) =>
        (await RefreshAsync(cancellationToken).ConfigureAwait(false)).Find(dagId);

    /// <summary><paramref name="dag"/> (of the current load) with its task objects, for what renders its templates
    /// (a preview). In a process that reads definitions from snapshots
    /// (<see cref="ScriptingOptions.ReadDefinitionSnapshots"/>) its file runs now, alone (one file at a time;
    /// the last one's DAGs are kept until another file runs or the folder is loaded again); when it fails to,
    /// the answer is <paramref name="dag"/> as it is (no task objects). Elsewhere it has them already.</summary>
    public async Task<DagDefinition> WithTaskObjectsAsync(DagDefinition dag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (dag.Tasks.All(t => t.Instance is not null))
            return dag;

        // One file runs at a time, and the last one's DAGs are kept for the load they belong to: a page
        // opened again, or by several people, does not run it again (nor hold more than one file's code).
        await _runnable.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _current;
            if (_lastRun is { } last && ReferenceEquals(last.Load, current) && last.File == dag.File)
                return last.Dags.Find(dag.DagId).Dag ?? dag;
            var ran = LoadedDags.From(await _loader.LoadFileAsync(dag.File, cancellationToken).ConfigureAwait(false));
            _lastRun = (current, dag.File, ran);
            // The file failed now (it changed since, a busy machine timed it out): the DAG as the load knows it.
            return ran.Find(dag.DagId).Dag ?? dag;
        }
        finally
        {
            _runnable.Release();
        }
    }

    /// <summary>The current DAG definitions: a scheduler's definitions source.</summary>
    public async Task<IReadOnlyList<DagDefinition>> CurrentAsync(CancellationToken cancellationToken) =>
        (await RefreshAsync(cancellationToken).ConfigureAwait(false)).Definitions;

    /// <summary>The current load, made again only when the DAGs or templates folder changed since the
    /// previous one; a new load's import errors are kept in the run store.</summary>
    public async Task<LoadedDags> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Taken before loading: a change made during the load is seen on the next pass.
            var stamp = FolderStamp.OfDagsFolder(_dagsFolder) + "\n" + FolderStamp.Of(_templatesFolder);
            if (stamp == _stamp)
                return _current;
            var loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
            Reloaded?.Invoke(loaded);
            await _store().ReplaceImportErrorsAsync([.. loaded.Errors], _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            (_stamp, _current) = (stamp, loaded);
            return loaded;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _refresh.Dispose();
        _runnable.Dispose();
    }
}
