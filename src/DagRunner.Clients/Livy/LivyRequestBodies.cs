using System.Text.Json;
using DagRunner.Clients.Http;

namespace DagRunner.Clients.Livy;

/// <summary>The JSON bodies of Livy requests exactly as <see cref="LivyClient"/> sends them, for
/// previews and logs that must show what the server receives.</summary>
public static class LivyRequestBodies
{
    /// <summary>The body of <c>POST /batches</c>.</summary>
    public static string Json(LivyBatchRequest request) => JsonSerializer.Serialize(request, ClientJson.Default.LivyBatchRequest);

    /// <summary>The body of <c>POST /sessions</c>.</summary>
    public static string Json(LivySessionRequest request) => JsonSerializer.Serialize(request, ClientJson.Default.LivySessionRequest);

    /// <summary>The body of <c>POST /sessions/{id}/statements</c>.</summary>
    public static string Json(LivyStatementRequest request) => JsonSerializer.Serialize(request, ClientJson.Default.LivyStatementRequest);
}
