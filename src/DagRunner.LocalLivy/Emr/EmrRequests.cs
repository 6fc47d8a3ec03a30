namespace DagRunner.LocalLivy.Emr;

// The request members of the EMR API reference, spelled as on the wire (PascalCase). Members this
// server has no use for are ignored, as a client may send any of EMR's.

internal sealed record RunJobFlowRequest(
    string? Name,
    string? LogUri,
    string? ReleaseLabel,
    JobFlowInstancesConfig? Instances,
    IReadOnlyList<StepConfig>? Steps,
    int? StepConcurrencyLevel);

internal sealed record JobFlowInstancesConfig(bool? KeepJobFlowAliveWhenNoSteps);

internal sealed record DescribeClusterRequest(string? ClusterId);

internal sealed record TerminateJobFlowsRequest(IReadOnlyList<string>? JobFlowIds);

internal sealed record AddJobFlowStepsRequest(string? JobFlowId, IReadOnlyList<StepConfig>? Steps);

internal sealed record StepConfig(string? Name, string? ActionOnFailure, HadoopJarStepConfig? HadoopJarStep);

internal sealed record HadoopJarStepConfig(string? Jar, IReadOnlyList<string>? Args, string? MainClass, IReadOnlyList<KeyValue>? Properties);

internal sealed record KeyValue(string? Key, string? Value);

internal sealed record DescribeStepRequest(string? ClusterId, string? StepId);

internal sealed record ListStepsRequest(string? ClusterId, IReadOnlyList<string>? StepStates, IReadOnlyList<string>? StepIds, string? Marker);

internal sealed record CancelStepsRequest(string? ClusterId, IReadOnlyList<string>? StepIds, string? StepCancellationOption);

internal sealed record ListClustersRequest(IReadOnlyList<string>? ClusterStates, double? CreatedAfter, string? Marker);
