using System.Text.Json.Serialization;

namespace DagRunner.Scripting.Caching;

// Source-generated so reading cache entries at start-up costs no reflection.
[JsonSerializable(typeof(CacheEntry))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
