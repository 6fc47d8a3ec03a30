using System.Diagnostics;
using System.Globalization;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dev;
using DagRunner.Scripting;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// The heart of <c>dev</c>: loads the folder, then answers each batch of saved files with their
/// import errors (at <c>file:line:col</c>, with the source line and a marker) or what the save did to
/// the DAGs, the statements whose rendered code changed, and which files had to run.
/// </summary>
internal sealed class DevLoop(CliSession session, SaveBatcher batcher)
{
    private readonly StatementPreviews _previews = new(session);

    // What the author last saw of each DAG: a DAG whose file is broken keeps its last good
    // definition here, so breaking a file is not reported as "removed" and fixing it not as "added".
    private IReadOnlyList<DagDefinition> _shown = [];
    private DagCompilation _compilation = new();

    /// <summary>The latest load.</summary>
    public DagCompilation Compilation => _compilation;

    /// <summary>Loads the folder and prints the prompt (after which a save is answered).</summary>
    public async Task StartAsync(string watching, CancellationToken cancellationToken)
    {
        _compilation = await session.LoadDagsAsync(cancellationToken).ConfigureAwait(false);
        _shown = _compilation.Definitions;
        // The first renders are the baseline later saves are compared with.
        _previews.Update(_compilation.Definitions, report: false, cancellationToken);
        var io = session.Io;
        await io.Out.WriteLineAsync($"Watching {watching}: {_compilation.Definitions.Length} DAG(s), {_compilation.Errors.Length} import error(s). Ctrl+C stops.").ConfigureAwait(false);
        await WriteErrorsAsync(_compilation.Errors).ConfigureAwait(false);
    }

    /// <summary>Answers saves until <paramref name="quit"/> is cancelled; after each good one, <paramref name="saved"/> runs.</summary>
    public async Task RunAsync(Func<DagCompilation, Task>? saved, CancellationToken quit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = await batcher.NextAsync(quit).ConfigureAwait(false);
            await AnswerAsync(changed, cancellationToken).ConfigureAwait(false);
            if (saved is not null)
                await saved(_compilation).ConfigureAwait(false);
            ReleaseOldVersions();
        }
    }

    /// <summary>Loads again and prints what the save of <paramref name="changed"/> did.</summary>
    public async Task AnswerAsync(IReadOnlyCollection<string> changed, CancellationToken cancellationToken)
    {
        var io = session.Io;
#pragma warning disable RS0030 // How long the reload took, printed for the person who saved: the wall clock's, not a timing anything depends on.
        var clock = Stopwatch.StartNew();
#pragma warning restore RS0030
        var before = _compilation;
        var after = await session.LoadDagsAsync(cancellationToken).ConfigureAwait(false);

        // A save often passes through a temp file (sed, some editors): only what is still there, or a
        // DAG file that went away, is worth naming.
        var shown = changed.Where(p => File.Exists(p) || p.EndsWith(".csx", StringComparison.Ordinal)).ToList();
        await io.Out.WriteLineAsync($"Saved: {string.Join(", ", (shown.Count > 0 ? shown : [.. changed]).Select(io.Display))}").ConfigureAwait(false);
        await WriteErrorsAsync(after.Errors).ConfigureAwait(false);
        // A broken file that was deleted is gone, not fixed.
        foreach (var file in before.Errors.Select(e => e.File).Distinct().Except(after.Errors.Select(e => e.File), StringComparer.Ordinal).Where(File.Exists))
            await io.Out.WriteLineAsync($"  fixed: {io.Display(file)}").ConfigureAwait(false);
        if (after.Errors.Length == 0)
            await io.Out.WriteLineAsync(before.Errors.Length > 0 ? "  No import errors any more." : "  No import errors.").ConfigureAwait(false);

        var broken = after.Errors.Select(e => e.File).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<DagDefinition> view = [.. after.Definitions, .. _shown.Where(d => broken.Contains(d.File) && after.Find(d.DagId) is null)];
        var changes = DefinitionDiff.Describe(_shown, view);
        foreach (var line in changes)
            await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        if (changes.Count == 0 && after.Errors.Length == 0)
            await io.Out.WriteLineAsync("  No change to the DAG definitions.").ConfigureAwait(false);
        // The view, not the load: a broken DAG keeps its last renders, so the save that fixes it shows what the fix changed.
        foreach (var line in _previews.Update(view, report: true, cancellationToken))
            await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Work(after, io)}({clock.ElapsedMilliseconds} ms)")).ConfigureAwait(false);
        _compilation = after;
        _shown = view;
    }

    // Which files had to run: the saved ones and those that #load them, or all after a data file changed.
    private static string Work(DagCompilation load, CliIo io)
    {
        var ran = load.Files.Where(f => f.Ran).ToList();
        if (ran.Count == 0)
            return load.Files.Length == 0 ? string.Empty : "no file had to run ";
        var names = ran.Count <= 3 ? string.Join(", ", ran.Select(f => io.Display(f.File))) : $"{ran.Count} files";
        var kept = load.Files.Length - ran.Count;
        return kept == 0 ? $"ran {names} " : $"ran {names}, kept {kept} unchanged ";
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

    private async Task WriteErrorsAsync(IEnumerable<ImportError> errors)
    {
        var io = session.Io;
        foreach (var error in errors)
        {
            await io.Out.WriteLineAsync("  " + ImportErrorText.Line(error, io)).ConfigureAwait(false);
            foreach (var line in ImportErrorText.Excerpt(error))
                await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        }
    }
}
