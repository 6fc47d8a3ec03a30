using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

internal sealed record HdfsFileStatusAnswer([property: JsonRequired, JsonPropertyName("FileStatus")] HdfsFileStatus FileStatus);
