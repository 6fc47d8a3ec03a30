namespace DagRunner.Clients.Emr;

/// <summary>What EMR did with one cancellation: <c>SUBMITTED</c> or <c>FAILED</c>, and why.</summary>
public sealed record EmrCancelStepsInfo(string? StepId, string? Status, string? Reason);
