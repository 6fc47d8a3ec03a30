using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// The outcome of compiling one DAG file: either an assembly image and how to start it, or the
/// errors. This is what the on-disk cache stores.
/// </summary>
internal sealed record CompiledScript
{
    public byte[]? Image { get; init; }

    public string EntryType { get; init; } = string.Empty;

    public string EntryMethod { get; init; } = string.Empty;

    /// <summary>Assemblies the file references with <c>#r</c>, loaded beside it at run time.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    public IReadOnlyList<ImportError> Errors { get; init; } = [];

    /// <summary>How the host's rewrite moved columns, to report exceptions at the author's columns.</summary>
    public ColumnMap Columns { get; init; } = ColumnMap.Empty;

    public bool Succeeded => Image is not null && Errors.Count == 0;
}
