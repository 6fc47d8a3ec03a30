namespace DagRunner.Clients.Livy;

/// <summary><c>POST /batches</c>.</summary>
public sealed record LivyBatchRequest : LivyJobRequest
{
    public required string File { get; init; }
    public string? ClassName { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
}
