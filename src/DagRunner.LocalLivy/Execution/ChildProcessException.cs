namespace DagRunner.LocalLivy.Execution;

/// <summary>A child process could not be started; the message names the program.</summary>
internal sealed class ChildProcessException(string message, Exception inner) : Exception(message, inner);
