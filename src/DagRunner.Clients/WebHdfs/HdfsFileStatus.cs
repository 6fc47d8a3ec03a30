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
