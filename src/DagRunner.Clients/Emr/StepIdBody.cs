namespace DagRunner.Clients.Emr;

/// <summary><c>DescribeStep</c>'s body.</summary>
internal sealed record StepIdBody(string ClusterId, string StepId);
