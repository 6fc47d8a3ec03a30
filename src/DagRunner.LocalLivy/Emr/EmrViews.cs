namespace DagRunner.LocalLivy.Emr;

// The answer shapes of the EMR API reference. Absent members are left out (the JSON options skip
// nulls), as EMR leaves them out; times are epoch seconds as JSON numbers.

internal sealed record RunJobFlowResponse(string JobFlowId, string ClusterArn);

internal sealed record DescribeClusterResponse(ClusterView Cluster);

internal sealed record ClusterView(
    string Id,
    string Name,
    string ClusterArn,
    ClusterStatusView Status,
    string? LogUri,
    string? ReleaseLabel,
    int StepConcurrencyLevel,
    bool AutoTerminate,
    bool TerminationProtected,
    int NormalizedInstanceHours);

internal sealed record ClusterStatusView(string State, StateChangeReasonView StateChangeReason, ClusterTimelineView Timeline);

internal sealed record ClusterTimelineView(double CreationDateTime, double? ReadyDateTime, double? EndDateTime);

internal sealed record StateChangeReasonView(string? Code, string? Message);

internal sealed record EmptyResponse;

internal sealed record AddJobFlowStepsResponse(IReadOnlyList<string> StepIds);

internal sealed record DescribeStepResponse(StepView Step);

internal sealed record StepView(string Id, string Name, HadoopStepConfigView Config, string ActionOnFailure, StepStatusView Status);

internal sealed record HadoopStepConfigView(string Jar, IReadOnlyDictionary<string, string> Properties, string? MainClass, IReadOnlyList<string> Args);

internal sealed record StepStatusView(string State, StateChangeReasonView StateChangeReason, FailureDetailsView? FailureDetails, StepTimelineView Timeline);

internal sealed record FailureDetailsView(string Reason, string Message, string? LogFile);

internal sealed record StepTimelineView(double CreationDateTime, double? StartDateTime, double? EndDateTime);

internal sealed record ListStepsResponse(IReadOnlyList<StepView> Steps, string? Marker);

internal sealed record CancelStepsResponse(IReadOnlyList<CancelStepsInfoView> CancelStepsInfoList);

internal sealed record CancelStepsInfoView(string StepId, string Status, string? Reason);

internal sealed record ErrorView(
    [property: System.Text.Json.Serialization.JsonPropertyName("__type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

internal sealed record ClusterSummaryView(string Id, string Name, ClusterStatusView Status, string ClusterArn, int NormalizedInstanceHours);

internal sealed record ListClustersResponse(IReadOnlyList<ClusterSummaryView> Clusters, string? Marker);
