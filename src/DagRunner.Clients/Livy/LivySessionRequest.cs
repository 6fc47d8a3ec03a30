namespace DagRunner.Clients.Livy;

/// <summary><c>POST /sessions</c>.</summary>
public sealed record LivySessionRequest : LivyJobRequest
{
    public string? Kind { get; init; }
    public int? HeartbeatTimeoutInSecond { get; init; }
    public string? Ttl { get; init; }
}
