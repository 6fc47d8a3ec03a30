namespace DagRunner.Clients.Spark;

public sealed record SparkAttempt
{
    public string? AttemptId { get; init; }
    public bool Completed { get; init; }

    /// <summary>The driver's exit code, on Spark versions that report it.</summary>
    public int? ExitCode { get; init; }
}
