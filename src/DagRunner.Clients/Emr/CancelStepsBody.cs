namespace DagRunner.Clients.Emr;

/// <summary><c>CancelSteps</c>'s body.</summary>
internal sealed record CancelStepsBody(string ClusterId, IReadOnlyList<string> StepIds, string? StepCancellationOption);
