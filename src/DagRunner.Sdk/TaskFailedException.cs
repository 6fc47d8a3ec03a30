namespace DagRunner.Sdk;

/// <summary>
/// A task failed for a reason its message states in full (a command's exit code, a Spark job that
/// YARN reports as failed). Runners log the message without a stack trace, which would only say
/// where in DagRunner the failure was noticed.
/// </summary>
public class TaskFailedException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public TaskFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public TaskFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TaskFailedException()
        : base("The task failed.")
    {
    }
}
