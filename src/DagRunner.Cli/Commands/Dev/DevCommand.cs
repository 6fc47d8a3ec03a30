using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dev;
using DagRunner.Scripting;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>
/// <c>dev</c>: watches the DAGs and templates folders and answers every save: the errors of what
/// changed, at <c>file:line:col</c> with the source line and a marker, or what the change did to the
/// DAGs (tasks added or removed, dependencies, schedules), and the statements whose rendered code
/// changed, as a diff. Unchanged files come from the compile
/// cache, so only what a save touched is compiled; the previous version's code is unloaded.
/// </summary>
internal static class DevCommand
{
    public static Command Create(CliContext context)
    {
        var quiet = new Option<int?>("--quiet-ms") { Description = "How long the folders must be quiet after a save before it is checked (default 100)" };
        var runDag = new Option<string?>("--run") { Description = "Run this DAG (dags test) at the start and again after every good save, cancelling a run still going; in a terminal, r runs it again and q quits" };
        var command = new Command("dev", "Watch the DAGs and templates folders and show, on every save, its errors or what it changed") { quiet, runDag };
        command.SetAction((parse, ct) => context.RunAsync(parse, async session =>
        {
            var io = session.Io;
            using var batcher = new SaveBatcher(session.Time, parse.GetValue(quiet) is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
            using var dags = Watch(session.Settings.DagsFolder, batcher);
            using var templates = Directory.Exists(session.Settings.TemplatesFolder) ? Watch(session.Settings.TemplatesFolder, batcher) : null;
            var current = await session.LoadDagsAsync(ct).ConfigureAwait(false);
            // The first renders are the baseline later saves are compared with, taken before the
            // prompt so that a save right after it is seen as a change.
            var previews = new StatementPreviews(session);
            previews.Update(current.Definitions, report: false, ct);
            await io.Out.WriteLineAsync($"Watching {io.Display(session.Settings.DagsFolder)}" + (templates is null ? "" : $" and {io.Display(session.Settings.TemplatesFolder)}") +
                $": {current.Definitions.Length} DAG(s), {current.Errors.Length} import error(s). Ctrl+C stops.").ConfigureAwait(false);
            await WriteErrorsAsync(io, current.Errors).ConfigureAwait(false);
            using var quit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await using var runner = parse.GetValue(runDag) is { } runId ? await DevRuns.StartAsync(session, runId, current, quit, ct).ConfigureAwait(false) : null;
            try
            {
                while (true)
                {
                    var changed = await batcher.NextAsync(quit.Token).ConfigureAwait(false);
                    var clock = Stopwatch.StartNew();
                    var next = await session.LoadDagsAsync(ct).ConfigureAwait(false);
                    await ReportAsync(io, changed, current, next).ConfigureAwait(false);
                    foreach (var line in previews.Update(next.Definitions, report: true, ct))
                        await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
                    await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  ({clock.ElapsedMilliseconds} ms)")).ConfigureAwait(false);
                    if (runner is not null)
                        await runner.RestartAsync(next).ConfigureAwait(false);
                    current = next;
                    ReleaseOldVersions();
                }
            }
            catch (OperationCanceledException) when (quit.IsCancellationRequested)
            {
                await io.Out.WriteLineAsync("Stopped watching.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
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

    private static FileSystemWatcher Watch(string folder, SaveBatcher batcher)
    {
        var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        watcher.Changed += (_, e) => batcher.Notify(e.FullPath);
        watcher.Created += (_, e) => batcher.Notify(e.FullPath);
        watcher.Deleted += (_, e) => batcher.Notify(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            batcher.Notify(e.OldFullPath);
            batcher.Notify(e.FullPath);
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private static async Task ReportAsync(CliIo io, IReadOnlyCollection<string> changed, DagCompilation before, DagCompilation after)
    {
        // A save often passes through a temp file (sed, some editors): only what is still there, or a
        // DAG file that went away, is worth naming.
        var shown = changed.Where(p => File.Exists(p) || p.EndsWith(".csx", StringComparison.Ordinal)).ToList();
        await io.Out.WriteLineAsync($"Saved: {string.Join(", ", (shown.Count > 0 ? shown : [.. changed]).Select(io.Display))}").ConfigureAwait(false);
        var errors = after.Errors;
        if (errors.Length > 0)
        {
            await WriteErrorsAsync(io, errors).ConfigureAwait(false);
            var fixedFiles = before.Errors.Select(e => e.File).Except(errors.Select(e => e.File), StringComparer.Ordinal).ToList();
            foreach (var file in fixedFiles)
                await io.Out.WriteLineAsync($"  fixed: {io.Display(file)}").ConfigureAwait(false);
        }
        else
        {
            await io.Out.WriteLineAsync(before.Errors.Length > 0 ? "  No import errors any more." : "  No import errors.").ConfigureAwait(false);
        }

        // A file that does not compile now still has its last good DAGs as far as the diff goes:
        // "removed" would be the error's echo, not a change.
        var broken = errors.Select(e => e.File).ToHashSet(StringComparer.Ordinal);
        var kept = before.Definitions.Where(d => broken.Contains(d.File) && after.Find(d.DagId) is null);
        var changes = DefinitionDiff.Describe(before.Definitions, [.. after.Definitions, .. kept]);
        foreach (var line in changes)
            await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        if (changes.Count == 0 && errors.Length == 0)
            await io.Out.WriteLineAsync("  No change to the DAG definitions.").ConfigureAwait(false);
    }

    private static async Task WriteErrorsAsync(CliIo io, IEnumerable<ImportError> errors)
    {
        foreach (var error in errors)
        {
            await io.Out.WriteLineAsync("  " + ImportErrorText.Line(error, io)).ConfigureAwait(false);
            foreach (var line in ImportErrorText.Excerpt(error))
                await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        }
    }
}
