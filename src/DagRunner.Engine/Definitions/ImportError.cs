namespace DagRunner.Engine.Definitions;

/// <summary>
/// Why a DAG file, or a DAG in it, could not be loaded: where, what, and the offending source line.
/// Errors are data: loading never throws for a bad file.
/// </summary>
public sealed record ImportError
{
    /// <summary>The DAG file the error stops (full path).</summary>
    public required string File { get; init; }

    /// <summary>The file the error points into; differs from <see cref="File"/> for an error in a <c>#load</c>ed helper.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The 1-based line, or 0 when the error has no place in the file.</summary>
    public int Line { get; init; }

    /// <summary>The 1-based column, or 0 when unknown.</summary>
    public int Column { get; init; }

    /// <summary>What is wrong, in one line.</summary>
    public required string Message { get; init; }

    /// <summary>A compiler diagnostic id such as <c>CS1002</c>, or one of ours such as <c>DAG001</c>.</summary>
    public string? Code { get; init; }

    /// <summary>The source line the error points at, as written.</summary>
    public string? SourceText { get; init; }

    /// <summary>More detail, such as an exception's stack trace in script terms.</summary>
    public string? Detail { get; init; }

    /// <summary>The file the location refers to.</summary>
    public string LocationFile => SourceFile ?? File;
}
