using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

/// <summary>A path's status (<c>GETFILESTATUS</c>).</summary>
public sealed record HdfsFileStatus
{
    [JsonRequired] public string Type { get; init; } = "";

    /// <summary>The entry's name in a listing; empty for the path itself.</summary>
    public string PathSuffix { get; init; } = "";
    public long Length { get; init; }
    public long ModificationTime { get; init; }

    public bool IsFile => Type == "FILE";
}

internal sealed record HdfsFileStatusAnswer([property: JsonRequired, JsonPropertyName("FileStatus")] HdfsFileStatus FileStatus);

internal sealed record HdfsFileStatusesAnswer([property: JsonRequired, JsonPropertyName("FileStatuses")] HdfsFileStatusList FileStatuses);

internal sealed record HdfsFileStatusList([property: JsonPropertyName("FileStatus")] IReadOnlyList<HdfsFileStatus> FileStatus);

internal sealed record HdfsBooleanAnswer([property: JsonPropertyName("boolean")] bool Value);

internal sealed record HdfsLocationAnswer([property: JsonRequired, JsonPropertyName("Location")] string Location);
