using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Thrown when a task whose operator is declared (so DAG files compile) but whose behaviour is
/// not built yet is asked to run.
/// </summary>
public sealed class OperatorNotAvailableException : NotSupportedException
{
    /// <summary>Creates the exception for <paramref name="task"/>.</summary>
    public OperatorNotAvailableException(DagTask task)
        : base(
            $"Task '{task?.TaskId}': {task?.OperatorName} is not implemented yet in this version of DagRunner. " +
            $"DAG files that use it compile and can be listed and shown, but only {string.Join(" and ", OperatorAvailability.RunnableOperators)} tasks can run today.")
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public OperatorNotAvailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public OperatorNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public OperatorNotAvailableException()
        : base("This operator is not implemented yet.")
    {
    }
}
