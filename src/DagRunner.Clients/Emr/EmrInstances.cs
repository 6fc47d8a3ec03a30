namespace DagRunner.Clients.Emr;

/// <summary>A new cluster's machines (<c>JobFlowInstancesConfig</c>, uniform instance groups).</summary>
public sealed record EmrInstances
{
    public string? MasterInstanceType { get; init; }
    public string? SlaveInstanceType { get; init; }
    public int? InstanceCount { get; init; }
    public string? Ec2KeyName { get; init; }
    public string? Ec2SubnetId { get; init; }

    /// <summary>Keep the cluster after its last step. EMR's default is false: it ends with its steps.</summary>
    public bool? KeepJobFlowAliveWhenNoSteps { get; init; }
    public bool? TerminationProtected { get; init; }
}
