using System.Collections.Immutable;

namespace DagRunner.Operators.Templates;

/// <summary>A task's templated fields and statements, rendered for one attempt, or a part's (a step of an EMR
/// task, <see cref="Parts"/>). Operators read their fields from here, never from the task (whose strings are
/// still templates).</summary>
public sealed class RenderedTask(IReadOnlyList<RenderedField> fields, IReadOnlyList<RenderedStatement> statements)
{
    private readonly ImmutableDictionary<string, object?> _byName = fields.ToImmutableDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    /// <summary>Every templated field, in name order.</summary>
    public IReadOnlyList<RenderedField> Fields { get; } = fields;

    /// <summary>The statements, in order (a Livy session's).</summary>
    public IReadOnlyList<RenderedStatement> Statements { get; } = statements;

    /// <summary>A string field.</summary>
    public string? Text(string name) => (string?)Value(name);

    /// <summary>A list field.</summary>
    public IReadOnlyList<string> List(string name) => (IReadOnlyList<string>?)Value(name) ?? [];

    /// <summary>A map field.</summary>
    public IReadOnlyDictionary<string, string> Map(string name) => (IReadOnlyDictionary<string, string>?)Value(name) ?? ImmutableDictionary<string, string>.Empty;

    /// <summary>A list field of parts (an EMR task's steps), each rendered on its own.</summary>
    public IReadOnlyList<RenderedTask> Parts(string name) => (IReadOnlyList<RenderedTask>?)Value(name) ?? [];

    private object? Value(string name) => _byName.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"'{name}' is not a templated field of this task.");
}
