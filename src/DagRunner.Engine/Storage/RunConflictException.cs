namespace DagRunner.Engine.Storage;

/// <summary>
/// A compare-and-set write found the store changed under it: another runner moved the task instance
/// (it took the run over). The writer has lost the run and must stop acting on it.
/// </summary>
public sealed class RunConflictException : Exception
{
    /// <summary>A conflict described by <paramref name="message"/>.</summary>
    public RunConflictException(string message)
        : base(message)
    {
    }

    /// <summary>A conflict described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public RunConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Needed by the analyzers' exception pattern; prefer a message.</summary>
    public RunConflictException()
    {
    }
}
