using DagRunner.Engine.Definitions;
using DagRunner.Scripting;

namespace DagRunner.Cli.Output;

/// <summary>Finds the DAG a command names, or says why it cannot.</summary>
internal static class DagLookup
{
    /// <summary>Loads the DAGs folder and finds <paramref name="dagId"/> in it; see <see cref="FindAsync"/>.</summary>
    public static async Task<(DagDefinition? Dag, int ExitCode)> LoadAsync(CliSession session, string dagId, CancellationToken cancellationToken)
    {
        var compilation = await session.LoadDagsAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(session, compilation, dagId).ConfigureAwait(false);
    }

    /// <summary>
    /// The DAG, or <see langword="null"/> after writing why: exit code 3 when import errors may
    /// be hiding it, 2 when no such DAG exists.
    /// </summary>
    private static async Task<(DagDefinition? Dag, int ExitCode)> FindAsync(CliSession session, DagCompilation compilation, string dagId)
    {
        if (compilation.Find(dagId) is { } dag)
        {
            return (dag, ExitCodes.Success);
        }

        var io = session.Io;
        if (compilation.Errors.Length > 0)
        {
            var files = compilation.Errors.Select(e => e.File).Distinct(StringComparer.Ordinal).Count();
            await io.Error.WriteLineAsync($"error: DAG '{dagId}' was not found, and {files} DAG file(s) have import errors that may be hiding it:").ConfigureAwait(false);
            foreach (var error in compilation.Errors)
            {
                await io.Error.WriteLineAsync("  " + ImportErrorText.Line(error, io)).ConfigureAwait(false);
            }

            return (null, ExitCodes.ImportErrors);
        }

        var known = compilation.Definitions.Length == 0 ? "none" : string.Join(", ", compilation.Definitions.Select(d => d.DagId));
        await io.Error.WriteLineAsync($"error: DAG '{dagId}' was not found in {io.Display(session.Settings.DagsFolder)}. Known DAGs: {known}.").ConfigureAwait(false);
        return (null, ExitCodes.Usage);
    }
}
