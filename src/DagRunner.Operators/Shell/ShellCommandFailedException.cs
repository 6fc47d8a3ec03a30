using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>A shell command ended with a non-zero exit code.</summary>
public sealed class ShellCommandFailedException : TaskFailedException
{
    /// <summary>Creates the exception for task <paramref name="taskId"/>.</summary>
    public ShellCommandFailedException(string taskId, int exitCode)
        : base($"Task '{taskId}': the command exited with code {exitCode}.")
    {
        ExitCode = exitCode;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public ShellCommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ShellCommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ShellCommandFailedException()
        : base("The command failed.")
    {
    }

    /// <summary>The command's exit code.</summary>
    public int ExitCode { get; }
}
