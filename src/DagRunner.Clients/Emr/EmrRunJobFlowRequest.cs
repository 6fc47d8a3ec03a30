namespace DagRunner.Clients.Emr;

/// <summary>A new cluster (<c>RunJobFlow</c>), optionally with its first steps.</summary>
public sealed record EmrRunJobFlowRequest
{
    public required string Name { get; init; }
    public required string ReleaseLabel { get; init; }
    public required EmrInstances Instances { get; init; }
    public string? LogUri { get; init; }
    public IReadOnlyList<EmrApplication>? Applications { get; init; }
    public IReadOnlyList<EmrStepConfig>? Steps { get; init; }

    /// <summary>How many steps may run at once (1 to 256). EMR's default is 1: one after another.</summary>
    public int? StepConcurrencyLevel { get; init; }

    /// <summary>The EMR service role. EMR's console default is <c>EMR_DefaultRole</c>.</summary>
    public string? ServiceRole { get; init; }

    /// <summary>The EC2 instance profile. EMR's console default is <c>EMR_EC2_DefaultRole</c>.</summary>
    public string? JobFlowRole { get; init; }
    public bool? VisibleToAllUsers { get; init; }
    public IReadOnlyList<EmrKeyValue>? Tags { get; init; }
}
