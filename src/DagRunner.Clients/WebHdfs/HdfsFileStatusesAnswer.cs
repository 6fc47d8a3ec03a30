using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

internal sealed record HdfsFileStatusesAnswer([property: JsonRequired, JsonPropertyName("FileStatuses")] HdfsFileStatusList FileStatuses);
