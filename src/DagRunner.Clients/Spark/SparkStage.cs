using System.Text.Json.Serialization;

namespace DagRunner.Clients.Spark;

public sealed record SparkStage
{
    [JsonRequired] public int StageId { get; init; }
    public int AttemptId { get; init; }
    public string? Name { get; init; }
    [JsonRequired] public string Status { get; init; } = "";
    public int NumTasks { get; init; }
    public int NumFailedTasks { get; init; }
    public string? FailureReason { get; init; }
}
