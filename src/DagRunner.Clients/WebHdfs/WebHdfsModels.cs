using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

/// <summary>A path's status (<c>GETFILESTATUS</c>).</summary>
public sealed record HdfsFileStatus
{
    [JsonRequired] public string Type { get; init; } = "";
    public long Length { get; init; }
    public long ModificationTime { get; init; }

    public bool IsFile => Type == "FILE";
}

internal sealed record HdfsFileStatusAnswer([property: JsonRequired, JsonPropertyName("FileStatus")] HdfsFileStatus FileStatus);
