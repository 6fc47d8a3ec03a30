using DagRunner.Sdk;
using DagRunner.Templating;

namespace DagRunner.Operators.Templates;

/// <summary>A statement as it will be sent: its code, its language, and the template or file line each
/// line of the code came from.</summary>
public sealed record RenderedStatement(int Number, Statement Statement, SessionKind Kind, string Code, LineMap Lines)
{
    /// <summary>Where the code came from, for logs: the template or file path, or <c>inline</c>.</summary>
    public string Origin => Statement.Source == StatementSource.Inline ? "inline" : Statement.Text;

    /// <summary>A file name for the statement as a runnable file, e.g. <c>01_load.py</c>.</summary>
    public string FileName
    {
        get
        {
            var stem = Statement.Source == StatementSource.Inline
                ? "inline"
                : Path.GetFileName(Statement.Text) is var file && file.EndsWith(".sbn", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(file) : file;
            stem = Path.GetFileNameWithoutExtension(stem);
            return $"{Number:00}_{stem}{Extension(Kind)}";
        }
    }

    private static string Extension(SessionKind kind) => kind switch
    {
        SessionKind.Spark => ".scala",
        SessionKind.SparkR => ".R",
        SessionKind.Sql => ".sql",
        _ => ".py",
    };
}
