namespace DagRunner.Sdk;

/// <summary>
/// One piece of code that a Livy session runs. Create it with <see cref="FromTemplate"/>,
/// <see cref="FromFile"/> or <see cref="Inline"/>.
/// </summary>
public sealed record Statement
{
    private Statement(StatementSource source, string text, SessionKind? kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Source = source;
        Text = text;
        Kind = kind;
    }

    /// <summary>Where the code comes from.</summary>
    public StatementSource Source { get; }

    /// <summary>The path under the templates folder (template and file), or the code itself (inline).</summary>
    public string Text { get; }

    /// <summary>The statement's language; <see langword="null"/> means the session's own kind.</summary>
    public SessionKind? Kind { get; }

    /// <summary>A Scriban template under the templates folder, e.g. <c>report/load.py.sbn</c>.</summary>
    public static Statement FromTemplate(string path, SessionKind? kind = null) => new(StatementSource.Template, path, kind);

    /// <summary>
    /// A plain code file under the templates folder, sent unchanged after a generated preamble that
    /// binds <c>params</c> in the statement's language, so the same file also runs outside DagRunner.
    /// </summary>
    public static Statement FromFile(string path, SessionKind? kind = null) => new(StatementSource.File, path, kind);

    /// <summary>Code written inline; it is rendered as a template like every string field.</summary>
    public static Statement Inline(string code, SessionKind? kind = null) => new(StatementSource.Inline, code, kind);
}
