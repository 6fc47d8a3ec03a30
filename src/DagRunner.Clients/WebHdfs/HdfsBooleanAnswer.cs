using System.Text.Json.Serialization;

namespace DagRunner.Clients.WebHdfs;

internal sealed record HdfsBooleanAnswer([property: JsonPropertyName("boolean")] bool Value);
