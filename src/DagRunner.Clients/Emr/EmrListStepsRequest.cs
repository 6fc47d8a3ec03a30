namespace DagRunner.Clients.Emr;

/// <summary>Which steps of a cluster to list (<c>ListSteps</c>), newest first; <see cref="Marker"/>
/// asks for the page after the one that returned it.</summary>
public sealed record EmrListStepsRequest
{
    public required string ClusterId { get; init; }
    public IReadOnlyList<string>? StepStates { get; init; }
    public IReadOnlyList<string>? StepIds { get; init; }
    public string? Marker { get; init; }
}
