using System.Text.Json.Serialization;

namespace DagRunner.Clients.Livy;

/// <summary><c>GET /batches</c>: Livy lists batches under <c>"sessions"</c>.</summary>
public sealed record LivyBatchList
{
    public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<LivyBatch> Sessions { get; init; } = [];
}
