using System.Text.Json.Serialization;

namespace DagRunner.Clients.Spark;

public sealed record SparkJob
{
    [JsonRequired] public int JobId { get; init; }
    public string? Name { get; init; }
    [JsonRequired] public string Status { get; init; } = "";
    public string? JobGroup { get; init; }
    public int NumTasks { get; init; }
    public int NumFailedTasks { get; init; }
}
