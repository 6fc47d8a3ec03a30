using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Scripting;

namespace DagRunner.Hosting.Dags;

/// <summary>What one load of the DAGs folder produced: the DAGs that loaded and the import errors of
/// the files that did not. Plain data, for any front end to show.</summary>
public sealed record LoadedDags
{
    /// <summary>The DAGs that loaded, ordered by id.</summary>
    public ImmutableArray<DagDefinition> Definitions { get; init; } = [];

    /// <summary>The import errors, ordered by file and line.</summary>
    public ImmutableArray<ImportError> Errors { get; init; } = [];

    /// <summary>How many DAG files were found.</summary>
    public int FileCount { get; init; }

    /// <summary>The loader's own result, with per-file details, for the host's watch loop.</summary>
    internal DagCompilation Compilation { get; init; } = new();

    /// <summary>Finds <paramref name="dagId"/>, or says why it is not there.</summary>
    public DagLookup Find(string dagId)
    {
        ArgumentNullException.ThrowIfNull(dagId);
        if (Definitions.FirstOrDefault(d => d.DagId == dagId) is { } dag)
            return new DagLookup { DagId = dagId, Dag = dag, Outcome = DagLookupOutcome.Found };
        return new DagLookup
        {
            DagId = dagId,
            // Any import error may be a file that would have defined it.
            Outcome = Errors.IsEmpty ? DagLookupOutcome.NotFound : DagLookupOutcome.HiddenByImportErrors,
            KnownDagIds = [.. Definitions.Select(d => d.DagId)],
            ImportErrors = Errors,
        };
    }

    internal static LoadedDags From(DagCompilation compilation) => new()
    {
        Definitions = compilation.Definitions,
        Errors = compilation.Errors,
        FileCount = compilation.Files.Length,
        Compilation = compilation,
    };
}
