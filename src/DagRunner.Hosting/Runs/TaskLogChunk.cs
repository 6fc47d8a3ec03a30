namespace DagRunner.Hosting.Runs;

/// <summary>Whole lines of a task log read from an offset, masked.</summary>
/// <param name="Text">The lines, each ending with a newline; empty when no whole line was added.</param>
/// <param name="Next">The byte offset to read from next.</param>
/// <param name="Truncated">Whether only the end of a longer log was read (a tail).</param>
public sealed record TaskLogChunk(string Text, long Next, bool Truncated);
