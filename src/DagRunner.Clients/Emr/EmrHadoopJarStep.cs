namespace DagRunner.Clients.Emr;

/// <summary>What a step runs (<c>HadoopJarStepConfig</c>): a jar, for Spark <c>command-runner.jar</c>
/// with <c>spark-submit</c> and its arguments.</summary>
public sealed record EmrHadoopJarStep
{
    public required string Jar { get; init; }
    public string? MainClass { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyList<EmrKeyValue>? Properties { get; init; }
}
