using System.Text.Json.Serialization;

namespace DagRunner.Scripting.Isolation;

// Source-generated: a probe answers every file of a folder, and its start-up should not pay for reflection.
[JsonSerializable(typeof(ProbeRequest))]
[JsonSerializable(typeof(ProbeReply))]
[JsonSerializable(typeof(ProbeVerdictCache.Entry))]
[JsonSerializable(typeof(DagRunner.Engine.Definitions.ImportError))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
