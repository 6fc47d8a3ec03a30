namespace DagRunner.Clients.Emr;

/// <summary>A cluster as <c>DescribeCluster</c> reports it (the fields a runner uses).</summary>
public sealed record EmrCluster
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public required EmrClusterStatus Status { get; init; }
    public string? ClusterArn { get; init; }
    public string? ReleaseLabel { get; init; }
    public string? LogUri { get; init; }
    public string? MasterPublicDnsName { get; init; }
    public bool? AutoTerminate { get; init; }
}
