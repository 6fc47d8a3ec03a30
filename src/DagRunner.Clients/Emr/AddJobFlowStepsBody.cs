namespace DagRunner.Clients.Emr;

/// <summary><c>AddJobFlowSteps</c>'s body.</summary>
internal sealed record AddJobFlowStepsBody(string JobFlowId, IReadOnlyList<EmrStepConfig> Steps, string? ExecutionRoleArn);
