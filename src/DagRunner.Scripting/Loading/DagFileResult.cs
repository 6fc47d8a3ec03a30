using System.Collections.Immutable;
using DagRunner.Engine.Definitions;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Loading;

/// <summary>
/// One DAG file's load: its definitions or its errors, and, when it ran, the <see cref="Dag"/>
/// objects it built and the load context its code lives in. The loader keeps the latest result of
/// each file, so an unchanged file is not run again.
/// </summary>
internal sealed record DagFileResult(string File, ImmutableArray<DagDefinition> Definitions, ImmutableArray<ImportError> Errors, bool FromCache, TimeSpan Duration)
{
    /// <summary>The compile key of the text that produced this result; empty when the file could not be read.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The templates folder's stamp when the definitions were built (they check the templates).</summary>
    public string TemplatesStamp { get; init; } = string.Empty;

    /// <summary>What the file's code built, kept to build the definitions again when only templates changed.</summary>
    public IReadOnlyList<Dag> Dags { get; init; } = [];

    public ScriptLoadContext? Context { get; init; }

    /// <summary>Whether the definitions were read from the snapshot a run of this version left (no code ran, no task objects).</summary>
    public bool FromSnapshot { get; init; }

    /// <summary>Whether the file's code ran in this load (false when an earlier result was kept).</summary>
    public bool Ran { get; init; }

    public static DagFileResult Failed(string file, ImportError error, TimeSpan duration) => new(file, [], [error], false, duration);
}
