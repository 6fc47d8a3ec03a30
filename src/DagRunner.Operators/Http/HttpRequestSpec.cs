namespace DagRunner.Operators;

/// <summary>One rendered HTTP call.</summary>
internal sealed record HttpRequestSpec(string ConnectionId, string Method, string Endpoint, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString() => $"{Method} {Endpoint}";
}
