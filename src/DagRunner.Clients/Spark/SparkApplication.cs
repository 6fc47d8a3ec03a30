using System.Text.Json.Serialization;

namespace DagRunner.Clients.Spark;

public sealed record SparkApplication
{
    [JsonRequired] public string Id { get; init; } = "";
    public string? Name { get; init; }
    public IReadOnlyList<SparkAttempt> Attempts { get; init; } = [];
}
