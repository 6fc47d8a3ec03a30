using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.Clients.Http;

// Livy's JSON as the client reads it (reference §1.6): only what we use, ids as strings, unknown
// fields ignored, the fields every answer must have marked required.
namespace DagRunner.Clients.Livy;

/// <summary>A batch (<c>GET /batches/{id}</c>).</summary>
public sealed record LivyBatch
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    public string? Name { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    public string? AppId { get; init; }
    public LivyAppInfo? AppInfo { get; init; }
    public IReadOnlyList<string>? Log { get; init; }
}

/// <summary>An interactive session (<c>GET /sessions/{id}</c>).</summary>
public sealed record LivySession
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    public string? Name { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    public string? Kind { get; init; }
    public string? AppId { get; init; }
    public LivyAppInfo? AppInfo { get; init; }
    public IReadOnlyList<string>? Log { get; init; }
}

/// <summary><c>appInfo</c>: the Spark UI and driver log URLs, null until the app runs.</summary>
public sealed record LivyAppInfo(string? DriverLogUrl, string? SparkUiUrl);

/// <summary><c>GET …/state</c>.</summary>
public sealed record LivyStateAnswer
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    [JsonRequired] public string State { get; init; } = "";
}

/// <summary>A page of a log (<c>GET …/log?from=&amp;size=</c>): <c>total</c> is the number of lines Livy keeps.</summary>
public sealed record LivyLogPage
{
    [JsonRequired] public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<string> Log { get; init; } = [];
}

/// <summary>A statement of a session.</summary>
public sealed record LivyStatement
{
    [JsonRequired, JsonConverter(typeof(FlexibleStringConverter))] public string Id { get; init; } = "";
    public string? Code { get; init; }
    [JsonRequired] public string State { get; init; } = "";
    public LivyStatementOutput? Output { get; init; }
    public double Progress { get; init; }
}

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

/// <summary>The Spark fields batch and session requests share. Empty fields are left out: Livy
/// refuses fields it does not know, and some Livy versions refuse empty ones too.</summary>
public abstract record LivyJobRequest
{
    public IReadOnlyList<string>? Jars { get; init; }
    public IReadOnlyList<string>? PyFiles { get; init; }
    public IReadOnlyList<string>? Files { get; init; }
    public IReadOnlyList<string>? Archives { get; init; }
    public string? DriverMemory { get; init; }
    public int? DriverCores { get; init; }
    public string? ExecutorMemory { get; init; }
    public int? ExecutorCores { get; init; }
    public int? NumExecutors { get; init; }
    public string? Queue { get; init; }
    public string? Name { get; init; }
    public string? ProxyUser { get; init; }
    public IReadOnlyDictionary<string, string>? Conf { get; init; }
}

/// <summary><c>POST /batches</c>.</summary>
public sealed record LivyBatchRequest : LivyJobRequest
{
    public required string File { get; init; }
    public string? ClassName { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
}

/// <summary><c>POST /sessions</c>.</summary>
public sealed record LivySessionRequest : LivyJobRequest
{
    public string? Kind { get; init; }
    public int? HeartbeatTimeoutInSecond { get; init; }
    public string? Ttl { get; init; }
}

/// <summary><c>POST /sessions/{id}/statements</c>.</summary>
public sealed record LivyStatementRequest(string Code, string? Kind);

/// <summary><c>GET /batches</c>: Livy lists batches under <c>"sessions"</c>.</summary>
public sealed record LivyBatchList
{
    public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<LivyBatch> Sessions { get; init; } = [];
}

/// <summary><c>GET /sessions</c>.</summary>
public sealed record LivySessionList
{
    public int From { get; init; }
    [JsonRequired] public int Total { get; init; }
    [JsonRequired] public IReadOnlyList<LivySession> Sessions { get; init; } = [];
}
