using System.Text.Json.Serialization;
using DagRunner.Clients.Http;

namespace DagRunner.Clients.Livy;

/// <summary>A statement of a session.</summary>
public sealed record LivyStatement
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    public string? Code { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    public LivyStatementOutput? Output { get; init; }
    public double Progress { get; init; }
}
