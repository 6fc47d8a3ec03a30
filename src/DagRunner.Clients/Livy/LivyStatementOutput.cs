using System.Text.Json;
using System.Text.Json.Serialization;

namespace DagRunner.Clients.Livy;

/// <summary>What a statement produced: <c>status</c> <c>ok</c> with <c>data</c>, or <c>error</c> with the exception.</summary>
public sealed record LivyStatementOutput
{
    [JsonRequired] public string Status { get; init; } = "";
    [JsonPropertyName("execution_count")] public int ExecutionCount { get; init; }
    public JsonElement? Data { get; init; }
    public string? Ename { get; init; }
    public string? Evalue { get; init; }
    public IReadOnlyList<string>? Traceback { get; init; }

    public bool IsOk => Status == "ok";

    /// <summary>The <c>text/plain</c> result, when there is one.</summary>
    public string? Text =>
        Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("text/plain", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;
}
