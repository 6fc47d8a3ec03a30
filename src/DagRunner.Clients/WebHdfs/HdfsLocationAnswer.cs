using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

internal sealed record HdfsLocationAnswer([property: JsonRequired, JsonPropertyName("Location")] string Location);
