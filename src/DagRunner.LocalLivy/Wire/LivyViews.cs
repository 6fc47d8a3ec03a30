using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

// Livy's response bodies, field for field as Livy 0.9 serializes them (reference §1.6). Kept
// together because they are one wire format and have no behaviour.
namespace DagRunner.LocalLivy.Wire;

internal sealed record AppInfoView(string? DriverLogUrl, string? SparkUiUrl, string? ExecutorLogUrls);

internal sealed record SessionView(
    int Id,
    string? Name,
    string? AppId,
    string? Owner,
    string? ProxyUser,
    string State,
    string Kind,
    AppInfoView AppInfo,
    IReadOnlyList<string> Log,
    string? Ttl,
    string? IdleTimeout,
    string? DriverMemory,
    int DriverCores,
    string? ExecutorMemory,
    int ExecutorCores,
    IReadOnlyDictionary<string, string> Conf,
    IReadOnlyList<string> Archives,
    IReadOnlyList<string> Files,
    int HeartbeatTimeoutInSecond,
    IReadOnlyList<string> Jars,
    int NumExecutors,
    IReadOnlyList<string> PyFiles,
    string? Queue);

internal sealed record BatchView(
    int Id,
    string? Name,
    string? Owner,
    string? ProxyUser,
    string State,
    string? AppId,
    AppInfoView AppInfo,
    IReadOnlyList<string> Log);

internal sealed record SessionListView(int From, int Total, IReadOnlyList<SessionView> Sessions);

/// <summary>Livy lists batches under <c>"sessions"</c> too.</summary>
internal sealed record BatchListView(int From, int Total, IReadOnlyList<BatchView> Sessions);

internal sealed record StateView(int Id, string State);

internal sealed record LogView(int Id, int From, int Total, IReadOnlyList<string> Log);

internal sealed record StatementView(int Id, string Code, string State, JsonNode? Output, double Progress, long Started, long Completed);

internal sealed record StatementListView(
    [property: JsonPropertyName("total_statements")] int TotalStatements,
    IReadOnlyList<StatementView> Statements);

internal sealed record MessageView(string Msg);

internal sealed record VersionView(string Version, string User, string Revision, string Branch, string Date, string Url);
