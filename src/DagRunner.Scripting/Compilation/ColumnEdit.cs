namespace DagRunner.Scripting.Compilation;

/// <summary>
/// One edit the host made to a line of a script: at the author's (1-based) line and column it
/// removed <paramref name="Removed"/> characters and inserted <paramref name="Inserted"/>.
/// Edits never add or remove a line, so only columns need mapping back.
/// </summary>
internal sealed record ColumnEdit(int Line, int Column, int Removed, int Inserted);
