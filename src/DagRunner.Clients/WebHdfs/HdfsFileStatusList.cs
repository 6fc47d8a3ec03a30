using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

internal sealed record HdfsFileStatusList([property: JsonPropertyName("FileStatus")] IReadOnlyList<HdfsFileStatus> FileStatus);
