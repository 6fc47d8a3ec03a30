namespace DagRunner.Engine.Execution;

/// <summary>How one attempt of a task ended.</summary>
/// <param name="Succeeded">Whether the operator returned.</param>
/// <param name="Output">What it returned.</param>
/// <param name="Error">Why it failed, in one line.</param>
/// <param name="LogFile">The attempt's log file; null when the attempt wrote nothing.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="Detached">The runner stopped gracefully while the attempt ran: it is neither a success
/// nor a failure, and a restarted runner picks it up.</param>
/// <param name="RenderedFields">The fields and statements it ran with, rendered, as JSON; null when the operator renders none.</param>
internal sealed record AttemptResult(bool Succeeded, object? Output, string? Error, string? LogFile, TimeSpan Duration, bool Detached = false, string? RenderedFields = null);
