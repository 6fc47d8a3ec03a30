namespace DagRunner.Clients.Emr;

/// <summary>What a step runs, as EMR reports it (<c>HadoopStepConfig</c>: properties are a map here).</summary>
public sealed record EmrStepDetails
{
    public string? Jar { get; init; }
    public string? MainClass { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
