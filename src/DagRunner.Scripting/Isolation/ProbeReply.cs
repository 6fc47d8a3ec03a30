using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Isolation;

/// <summary>One line from a probe process: how running a file went.</summary>
/// <param name="File">The file asked about.</param>
/// <param name="Outcome">What happened (<see cref="ProbeOutcome"/>).</param>
/// <param name="Error">The import error, unless the file loaded.</param>
/// <param name="HeapBytes">The probe's managed heap after the file was let go: memory a file kept past its load.</param>
internal sealed record ProbeReply(string File, ProbeOutcome Outcome, ImportError? Error, long HeapBytes);
