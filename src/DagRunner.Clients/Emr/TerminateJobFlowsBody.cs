namespace DagRunner.Clients.Emr;

/// <summary><c>TerminateJobFlows</c>'s body.</summary>
internal sealed record TerminateJobFlowsBody(IReadOnlyList<string> JobFlowIds);
