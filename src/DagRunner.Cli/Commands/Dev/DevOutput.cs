using System.Globalization;
using DagRunner.Cli.Output;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dev;

namespace DagRunner.Cli.Commands.Dev;

/// <summary>How <c>dev</c> shows the loop's answers: import errors at <c>file:line:col</c> with the source
/// line and a marker, what the save did to the DAGs, the statements whose rendered code changed, and
/// which files had to run.</summary>
internal sealed class DevOutput(CliIo io)
{
    /// <summary>The prompt after the first load, after which a save is answered.</summary>
    public async Task WatchingAsync(string watching, DevLoop loop)
    {
        await io.Out.WriteLineAsync($"Watching {watching}: {loop.Definitions.Count} DAG(s), {loop.Errors.Length} import error(s). Ctrl+C stops.").ConfigureAwait(false);
        await WriteErrorsAsync(loop.Errors).ConfigureAwait(false);
    }

    public async Task AnswerAsync(DevAnswer answer)
    {
        await io.Out.WriteLineAsync($"Saved: {string.Join(", ", answer.Saved.Select(io.Display))}").ConfigureAwait(false);
        await WriteErrorsAsync(answer.Errors).ConfigureAwait(false);
        foreach (var file in answer.Fixed)
            await io.Out.WriteLineAsync($"  fixed: {io.Display(file)}").ConfigureAwait(false);
        if (answer.Errors.Length == 0)
            await io.Out.WriteLineAsync(answer.HadErrors ? "  No import errors any more." : "  No import errors.").ConfigureAwait(false);
        foreach (var line in answer.Changes)
            await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        if (answer.Changes.Count == 0 && answer.Errors.Length == 0)
            await io.Out.WriteLineAsync("  No change to the DAG definitions.").ConfigureAwait(false);
        foreach (var line in answer.Previews)
            await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Work(answer)}({(long)answer.Elapsed.TotalMilliseconds} ms)")).ConfigureAwait(false);
    }

    /// <summary>The file watcher lost events: said, and the whole folder is checked again.</summary>
    public void LostEvents(string folder, Exception cause) =>
        io.Error.WriteLine($"The file watcher on {io.Display(folder)} lost events ({cause.Message}); checking the whole folder again.");

    // Which files had to run: the saved ones and those that #load them, or all after a data file changed.
    private string Work(DevAnswer answer)
    {
        if (answer.Ran.Count == 0)
            return answer.Files == 0 ? string.Empty : "no file had to run ";
        var names = answer.Ran.Count <= 3 ? string.Join(", ", answer.Ran.Select(io.Display)) : $"{answer.Ran.Count} files";
        var kept = answer.Files - answer.Ran.Count;
        return kept == 0 ? $"ran {names} " : $"ran {names}, kept {kept} unchanged ";
    }

    private async Task WriteErrorsAsync(IEnumerable<ImportError> errors)
    {
        foreach (var error in errors)
        {
            await io.Out.WriteLineAsync("  " + ImportErrorText.Line(error, io)).ConfigureAwait(false);
            foreach (var line in ImportErrorText.Excerpt(error))
                await io.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
        }
    }
}
