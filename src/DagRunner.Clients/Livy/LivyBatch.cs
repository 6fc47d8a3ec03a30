using System.Text.Json.Serialization;
using DagRunner.Clients.Http;

namespace DagRunner.Clients.Livy;

/// <summary>A batch (<c>GET /batches/{id}</c>).</summary>
public sealed record LivyBatch
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    public string? Name { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    public string? AppId { get; init; }
    public LivyAppInfo? AppInfo { get; init; }
    public IReadOnlyList<string>? Log { get; init; }
}
