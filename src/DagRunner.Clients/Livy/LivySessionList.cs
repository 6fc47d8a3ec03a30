using System.Text.Json.Serialization;

namespace DagRunner.Clients.Livy;

/// <summary><c>GET /sessions</c>.</summary>
public sealed record LivySessionList
{
    public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<LivySession> Sessions { get; init; } = [];
}
