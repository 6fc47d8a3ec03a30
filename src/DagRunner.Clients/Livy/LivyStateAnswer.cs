using System.Text.Json.Serialization;
using DagRunner.Clients.Http;

namespace DagRunner.Clients.Livy;

/// <summary><c>GET …/state</c>.</summary>
public sealed record LivyStateAnswer
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    [JsonRequired] public string State { get; init; } = "";
}
