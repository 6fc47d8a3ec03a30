namespace DagRunner.Templating;

/// <summary>
/// A template that cannot be parsed or rendered: a syntax error, an undefined name, a limit
/// reached, an include outside the templates folder. Says where, as <c>origin:line:column</c>.
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException(string origin, int line, int column, string reason, Exception? innerException = null)
        : base(Format(origin, line, column, reason), innerException)
    {
        Origin = origin;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException()
        : this("template", 0, 0, "The template failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException(string message)
        : this("template", 0, 0, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TemplateException(string message, Exception innerException)
        : this("template", 0, 0, message, innerException)
    {
    }

    /// <summary>The template's file under the templates folder, or a description of the field it came from.</summary>
    public string Origin { get; }

    /// <summary>The line in <see cref="Origin"/>, from 1; 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The column in <see cref="Origin"/>, from 1; 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    private static string Format(string origin, int line, int column, string reason) =>
        line > 0 ? $"{origin}:{line}:{column}: {reason}" : $"{origin}: {reason}";
}
