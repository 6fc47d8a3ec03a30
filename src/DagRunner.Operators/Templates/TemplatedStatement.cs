using DagRunner.Sdk;

namespace DagRunner.Operators.Templates;

/// <summary>A statement an operator sends, with the language it runs in (its own kind, or its task's).</summary>
/// <param name="Statement">The statement as the DAG file wrote it.</param>
/// <param name="Kind">The language the statement runs in; its literals and file name follow it.</param>
public sealed record TemplatedStatement(Statement Statement, SessionKind Kind);
