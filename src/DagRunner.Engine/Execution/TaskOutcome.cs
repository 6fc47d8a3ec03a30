using DagRunner.Engine.Execution;

namespace DagRunner.Engine.Execution;

/// <summary>How one task of a test run ended.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="State">Its final state.</param>
/// <param name="Duration">How long its attempt ran (zero when it did not run).</param>
/// <param name="Attempts">How many attempts ran.</param>
/// <param name="Error">Why it failed, in one line, or <see langword="null"/>.</param>
/// <param name="LogFile">The attempt's log file, or <see langword="null"/> when it did not run.</param>
public sealed record TaskOutcome(string TaskId, TaskState State, TimeSpan Duration, int Attempts, string? Error, string? LogFile);
