namespace DagRunner.Clients.Emr;

/// <summary><c>DescribeCluster</c>'s body.</summary>
internal sealed record ClusterIdBody(string ClusterId);
