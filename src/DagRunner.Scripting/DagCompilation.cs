using System.Collections.Immutable;
using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting;

/// <summary>
/// What loading a DAGs folder produced: the definitions of every DAG that loaded, the import
/// errors of the files that did not, and per-file details. Errors are data: a broken file never
/// takes the others down.
/// </summary>
public sealed record DagCompilation
{
    /// <summary>The DAGs that loaded, ordered by id.</summary>
    public ImmutableArray<DagDefinition> Definitions { get; init; } = [];

    /// <summary>The import errors, ordered by file and line.</summary>
    public ImmutableArray<ImportError> Errors { get; init; } = [];

    /// <summary>Every DAG file found, with what it produced.</summary>
    public ImmutableArray<DagFileLoad> Files { get; init; } = [];

    /// <summary>Finds a DAG by id, or returns <see langword="null"/>.</summary>
    public DagDefinition? Find(string dagId) => Definitions.FirstOrDefault(d => d.DagId == dagId);
}

/// <summary>One DAG file's part of a <see cref="DagCompilation"/>.</summary>
/// <param name="File">The file's full path.</param>
/// <param name="DagIds">The ids of the DAGs it defines (none when it has errors).</param>
/// <param name="Errors">Its import errors.</param>
/// <param name="FromCache">Whether the file was not compiled: its compilation came from the on-disk cache, or it had not changed.</param>
/// <param name="Duration">How long compiling (if needed) and running it took.</param>
public sealed record DagFileLoad(string File, ImmutableArray<string> DagIds, ImmutableArray<ImportError> Errors, bool FromCache, TimeSpan Duration)
{
    /// <summary>Whether the file's code ran in this load; false when it had not changed since the
    /// loader's previous load, whose result was kept.</summary>
    public bool Ran { get; init; }
}
