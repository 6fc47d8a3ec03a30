using System.Text.Json.Serialization;

// WebHDFS's JSON (reference §6).
namespace DagRunner.LocalLivy.Wire;

internal sealed record FileStatusEnvelope([property: JsonPropertyName("FileStatus")] FileStatusView FileStatus);

internal sealed record FileStatusesEnvelope([property: JsonPropertyName("FileStatuses")] FileStatusList FileStatuses);

internal sealed record FileStatusList([property: JsonPropertyName("FileStatus")] IReadOnlyList<FileStatusView> FileStatus);

internal sealed record FileStatusView(
    long AccessTime,
    long BlockSize,
    int ChildrenNum,
    long FileId,
    string Group,
    long Length,
    long ModificationTime,
    string Owner,
    string PathSuffix,
    string Permission,
    int Replication,
    int StoragePolicy,
    string Type);

internal sealed record BooleanView([property: JsonPropertyName("boolean")] bool Value);

internal sealed record LocationView([property: JsonPropertyName("Location")] string Location);
