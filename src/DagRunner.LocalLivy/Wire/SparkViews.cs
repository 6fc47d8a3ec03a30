using System.Text.Json.Serialization;

// The Spark monitoring REST API's JSON (reference §4.3): optional fields are left out, not null.
namespace DagRunner.LocalLivy.Wire;

internal sealed record SparkApplicationView(string Id, string Name, IReadOnlyList<SparkAttemptView> Attempts);

internal sealed record SparkAttemptView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttemptId,
    string StartTime,
    string EndTime,
    string LastUpdated,
    long Duration,
    string SparkUser,
    bool Completed,
    string AppSparkVersion,
    long StartTimeEpoch,
    long EndTimeEpoch,
    long LastUpdatedEpoch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExitCode);

internal sealed record SparkJobView(
    int JobId,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SubmissionTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompletionTime,
    IReadOnlyList<int> StageIds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JobGroup,
    IReadOnlyList<string> JobTags,
    string Status,
    int NumTasks,
    int NumActiveTasks,
    int NumCompletedTasks,
    int NumSkippedTasks,
    int NumFailedTasks,
    int NumKilledTasks,
    int NumCompletedIndices,
    int NumActiveStages,
    int NumCompletedStages,
    int NumSkippedStages,
    int NumFailedStages,
    IReadOnlyDictionary<string, int> KilledTasksSummary);

internal sealed record SparkStageView(
    string Status,
    int StageId,
    int AttemptId,
    int NumTasks,
    int NumActiveTasks,
    int NumCompleteTasks,
    int NumFailedTasks,
    int NumKilledTasks,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SubmissionTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompletionTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureReason);

internal sealed record SparkVersionView(string Spark);
