using System.Text.Json.Serialization;

// The ResourceManager's JSON (reference §5), as Hadoop 3 serializes it.
namespace DagRunner.LocalLivy.Wire;

internal sealed record YarnAppEnvelope(YarnAppView App);

internal sealed record YarnAppsEnvelope(YarnAppList? Apps);

internal sealed record YarnAppList(IReadOnlyList<YarnAppView> App);

internal sealed record YarnStateView(string State);

internal sealed record YarnAppView(
    string Id,
    string User,
    string Name,
    string Queue,
    string State,
    string FinalStatus,
    double Progress,
    string TrackingUI,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrackingUrl,
    string Diagnostics,
    long ClusterId,
    string ApplicationType,
    string ApplicationTags,
    int Priority,
    long StartedTime,
    long LaunchTime,
    long FinishedTime,
    long ElapsedTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AmContainerLogs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AmHostHttpAddress,
    int AllocatedMB,
    int AllocatedVCores,
    int RunningContainers,
    long MemorySeconds,
    long VcoreSeconds,
    double QueueUsagePercentage,
    double ClusterUsagePercentage,
    long PreemptedResourceMB,
    long PreemptedResourceVCores,
    int NumNonAMContainerPreempted,
    int NumAMContainerPreempted,
    string LogAggregationStatus,
    bool UnmanagedApplication,
    string AppNodeLabelExpression,
    string AmNodeLabelExpression);

internal sealed record RemoteExceptionEnvelope([property: JsonPropertyName("RemoteException")] RemoteExceptionView RemoteException);

internal sealed record RemoteExceptionView(string Exception, string Message, string JavaClassName);
