namespace DagRunner.Templating.Literals;

/// <summary>A value that has no literal in the target language, such as a NUL character in R.</summary>
public sealed class LiteralException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LiteralException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LiteralException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public LiteralException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
