namespace DagRunner.Clients.Emr;

/// <summary>The new cluster's id (<c>j-...</c>) and ARN.</summary>
public sealed record EmrRunJobFlowResponse(string JobFlowId, string? ClusterArn);
