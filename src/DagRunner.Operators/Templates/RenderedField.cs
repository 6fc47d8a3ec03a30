namespace DagRunner.Operators.Templates;

/// <summary>A templated field after rendering: a string (or null), a list of strings, or a map of strings.</summary>
public sealed record RenderedField(string Name, object? Value);
