namespace DagRunner.Engine.Storage;

/// <summary>
/// The run store cannot be used: its file cannot be opened or created (a read-only folder, a damaged,
/// empty or foreign file, a home that is a file), or it was deleted while in use. The message is one
/// line that names the file and says what to do; a front end shows it as it is (exit code 2 in the CLI).
/// The file itself is never overwritten to get past the problem.
/// </summary>
public sealed class RunStoreException : Exception
{
    /// <summary>A store problem described by <paramref name="message"/>.</summary>
    public RunStoreException(string message)
        : base(message)
    {
    }

    /// <summary>A store problem described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public RunStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Needed by the analyzers' exception pattern; prefer a message.</summary>
    public RunStoreException()
    {
    }
}
