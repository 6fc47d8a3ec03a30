namespace DagRunner.Clients.Emr;

/// <summary>One page of <c>ListSteps</c>; <see cref="Marker"/> is null on the last page.</summary>
public sealed record EmrStepPage
{
    public IReadOnlyList<EmrStep> Steps { get; init; } = [];
    public string? Marker { get; init; }
}
