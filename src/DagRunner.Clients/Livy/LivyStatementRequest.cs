namespace DagRunner.Clients.Livy;

/// <summary><c>POST /sessions/{id}/statements</c>.</summary>
public sealed record LivyStatementRequest(string Code, string? Kind);
