namespace DagRunner.Sdk;

/// <summary>A place in a DAG file: where a DAG was created or a task was added.</summary>
/// <param name="File">The file's path as the compiler saw it.</param>
/// <param name="Line">The 1-based line, or 0 when unknown.</param>
public sealed record SourceLocation(string File, int Line)
{
    /// <summary>No known location.</summary>
    public static SourceLocation Unknown { get; } = new(string.Empty, 0);

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
