using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dags;

namespace DagRunner.Cli.Output;

/// <summary>Finds the DAG or task a command names through the catalog, or says why it cannot.</summary>
internal static class DagLookupText
{
    /// <summary>
    /// The DAG, or <see langword="null"/> after writing why: exit code 3 when import errors may
    /// be hiding it, 2 when no such DAG exists.
    /// </summary>
    public static async Task<(DagDefinition? Dag, int ExitCode)> FindAsync(CliSession session, string dagId, CancellationToken cancellationToken)
    {
        var lookup = await session.Catalog.FindAsync(dagId, cancellationToken).ConfigureAwait(false);
        return (lookup.Dag, await WriteAsync(session, lookup).ConfigureAwait(false));
    }

    /// <summary>The task, or <see langword="null"/> after writing why (the DAG's exit codes as
    /// <see cref="FindAsync"/>; 2 when the DAG has no such task).</summary>
    public static async Task<(TaskLookup? Task, int ExitCode)> FindTaskAsync(CliSession session, string dagId, string taskId, CancellationToken cancellationToken)
    {
        var (dag, task) = await session.Catalog.FindTaskAsync(dagId, taskId, cancellationToken).ConfigureAwait(false);
        if (task is null)
            return (null, await WriteAsync(session, dag).ConfigureAwait(false));
        if (task.Found)
            return (task, ExitCodes.Success);
        await session.Io.Error.WriteLineAsync($"DAG '{task.Dag.DagId}' has no task '{task.TaskId}'. Its tasks: {string.Join(", ", task.KnownTaskIds)}.").ConfigureAwait(false);
        return (null, ExitCodes.Usage);
    }

    private static async Task<int> WriteAsync(CliSession session, DagLookup lookup)
    {
        var io = session.Io;
        switch (lookup.Outcome)
        {
            case DagLookupOutcome.Found:
                return ExitCodes.Success;
            case DagLookupOutcome.HiddenByImportErrors:
                await io.Error.WriteLineAsync($"error: DAG '{lookup.DagId}' was not found, and {lookup.FilesWithErrors} DAG file(s) have import errors that may be hiding it:").ConfigureAwait(false);
                foreach (var error in lookup.ImportErrors)
                    await io.Error.WriteLineAsync("  " + ImportErrorText.Line(error, io)).ConfigureAwait(false);
                return ExitCodes.ImportErrors;
            default:
                var known = lookup.KnownDagIds.IsEmpty ? "none" : string.Join(", ", lookup.KnownDagIds);
                await io.Error.WriteLineAsync($"error: DAG '{lookup.DagId}' was not found in {io.Display(session.Settings.DagsFolder)}. Known DAGs: {known}.").ConfigureAwait(false);
                return ExitCodes.Usage;
        }
    }
}
