using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dags;

namespace DagRunner.Hosting.Dev;

/// <summary>
/// The heart of <c>dev</c>: loads the folder, then answers each batch of saved files with their
/// import errors or what the save did to the DAGs, the statements whose rendered code changed, and
/// which files had to run (a <see cref="DevAnswer"/>; the front end shows it). It loads through the
/// catalog without writing anything: the import errors it finds are shown, not kept.
/// </summary>
public sealed class DevLoop(DagCatalog catalog, StatementPreviews previews)
{
    // What the author last saw of each DAG: a DAG whose file is broken keeps its last good
    // definition here, so breaking a file is not reported as "removed" and fixing it not as "added".
    private IReadOnlyList<DagDefinition> _shown = [];
    private LoadedDags _loaded = new();

    /// <summary>The latest load.</summary>
    public LoadedDags Loaded => _loaded;

    /// <summary>The DAGs of the latest load.</summary>
    public IReadOnlyList<DagDefinition> Definitions => _loaded.Definitions;

    /// <summary>The import errors of the latest load.</summary>
    public ImmutableArray<ImportError> Errors => _loaded.Errors;

    /// <summary>Loads the folder; the renders of this load are the baseline later saves are compared with.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _loaded = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        _shown = _loaded.Definitions;
        previews.Update(_loaded.Definitions, report: false, cancellationToken);
    }

    /// <summary>Answers the batches of <paramref name="batcher"/> until <paramref name="quit"/> is cancelled:
    /// each answer goes to <paramref name="answered"/>; after it, <paramref name="saved"/> runs with the new load.</summary>
    public async Task RunAsync(SaveBatcher batcher, Func<DevAnswer, Task> answered, Func<LoadedDags, Task>? saved, CancellationToken quit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(answered);
        while (true)
        {
            var changed = await batcher.NextAsync(quit).ConfigureAwait(false);
            await AnswerAsync(changed, answered, cancellationToken).ConfigureAwait(false);
            if (saved is not null)
                await saved(_loaded).ConfigureAwait(false);
            ReleaseOldVersions();
        }
    }

    /// <summary>Loads again and tells <paramref name="answered"/> what the save of <paramref name="changed"/> did.</summary>
    public async Task AnswerAsync(IReadOnlyCollection<string> changed, Func<DevAnswer, Task> answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(answered);
        // How long the reload took, printed for the person who saved: the wall clock's, not a timing anything depends on.
        var started = TimeProvider.System.GetTimestamp();
        var before = _loaded;
        var after = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);

        // A save often passes through a temp file (sed, some editors): only what is still there, or a
        // DAG file that went away, is worth naming.
        var shown = changed.Where(p => File.Exists(p) || p.EndsWith(".csx", StringComparison.Ordinal)).ToList();
        // A broken file that was deleted is gone, not fixed.
        var fixedFiles = before.Errors.Select(e => e.File).Distinct().Except(after.Errors.Select(e => e.File), StringComparer.Ordinal).Where(File.Exists).ToList();
        var broken = after.Errors.Select(e => e.File).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<DagDefinition> view = [.. after.Definitions, .. _shown.Where(d => broken.Contains(d.File) && !after.Find(d.DagId).Found)];
        var changes = DefinitionDiff.Describe(_shown, view);
        // The view, not the load: a broken DAG keeps its last renders, so the save that fixes it shows what the fix changed.
        var renders = previews.Update(view, report: true, cancellationToken);
        _loaded = after;
        _shown = view;
        await answered(new DevAnswer
        {
            Saved = shown.Count > 0 ? shown : [.. changed],
            Errors = after.Errors,
            HadErrors = before.Errors.Length > 0,
            Fixed = fixedFiles,
            Changes = changes,
            Previews = renders,
            Ran = [.. after.Compilation.Files.Where(f => f.Ran).Select(f => f.File)],
            Files = after.FileCount,
            Elapsed = TimeProvider.System.GetElapsedTime(started),
        }).ConfigureAwait(false);
    }

    // The loader unloaded the code of the versions this save replaced; a collection now, while the
    // author reads the answer, frees it at once. Left to itself the GC, which sees a small heap,
    // lets unloaded versions and their JIT'd code pile up for hundreds of saves (measured with
    // bench/DagRunner.Bench.Dev: about 100 MB more memory after 500 saves).
    private static void ReleaseOldVersions()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
