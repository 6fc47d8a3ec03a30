using System.Text.Json.Serialization;

// The Spark monitoring API's JSON (reference §4.3), only what a client decides with.
namespace DagRunner.Clients.Spark;

public sealed record SparkApplication
{
    [JsonRequired] public string Id { get; init; } = "";
    public string? Name { get; init; }
    public IReadOnlyList<SparkAttempt> Attempts { get; init; } = [];
}

public sealed record SparkAttempt
{
    public string? AttemptId { get; init; }
    public bool Completed { get; init; }

    /// <summary>The driver's exit code, on Spark versions that report it.</summary>
    public int? ExitCode { get; init; }
}

public sealed record SparkJob
{
    [JsonRequired] public int JobId { get; init; }
    public string? Name { get; init; }
    [JsonRequired] public string Status { get; init; } = "";
    public string? JobGroup { get; init; }
    public int NumTasks { get; init; }
    public int NumFailedTasks { get; init; }
}

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
