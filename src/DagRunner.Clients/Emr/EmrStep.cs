namespace DagRunner.Clients.Emr;

/// <summary>A step as <c>DescribeStep</c> and <c>ListSteps</c> report it (<c>Step</c>, <c>StepSummary</c>).</summary>
public sealed record EmrStep
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public EmrStepDetails? Config { get; init; }
    public string? ActionOnFailure { get; init; }
    public required EmrStepStatus Status { get; init; }
    public string? ExecutionRoleArn { get; init; }
}
