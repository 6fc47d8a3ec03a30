using DagRunner.Clients.Http;

namespace DagRunner.Clients.Livy;

/// <summary>Apache Livy's REST API (reference §1): batches, sessions, statements, logs and states.
/// GETs are retried; POST and DELETE are sent once. A record that is gone answers null, not an error.</summary>
public sealed class LivyClient(RestTransport transport)
{
    private static readonly (string, object?)[] NoQuery = [];

    public RestTransport Transport => transport;

    /// <summary><c>POST /batches</c>. Throws <see cref="RemoteApiException"/> with Livy's reason on refusal.</summary>
    public async Task<LivyBatch> CreateBatchAsync(LivyBatchRequest request, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync(HttpMethod.Post, ["batches"], NoQuery, request, ClientJson.Default.LivyBatchRequest, cancellationToken).ConfigureAwait(false);
        return transport.Read(answer, ClientJson.Default.LivyBatch);
    }

    /// <summary><c>GET /batches?from=&amp;size=</c>: a page of the batches Livy knows, and their total.</summary>
    public async Task<LivyBatchList> ListBatchesAsync(int from, int size, CancellationToken cancellationToken) =>
        transport.Read(await transport.GetAsync(["batches"], [("from", from), ("size", size)], cancellationToken).ConfigureAwait(false), ClientJson.Default.LivyBatchList);

    /// <summary><c>GET /sessions?from=&amp;size=</c>.</summary>
    public async Task<LivySessionList> ListSessionsAsync(int from, int size, CancellationToken cancellationToken) =>
        transport.Read(await transport.GetAsync(["sessions"], [("from", from), ("size", size)], cancellationToken).ConfigureAwait(false), ClientJson.Default.LivySessionList);

    /// <summary><c>GET /batches/{idOrName}</c>; null when Livy does not know it (404).</summary>
    public Task<LivyBatch?> GetBatchAsync(string idOrName, CancellationToken cancellationToken) =>
        GetOrNullAsync(["batches", idOrName], NoQuery, ClientJson.Default.LivyBatch, cancellationToken);

    /// <summary><c>GET /batches/{id}/state</c>; null on 404.</summary>
    public Task<LivyStateAnswer?> GetBatchStateAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(["batches", id, "state"], NoQuery, ClientJson.Default.LivyStateAnswer, cancellationToken);

    /// <summary><c>GET /batches/{id}/log?from=&amp;size=</c>; null on 404.</summary>
    public Task<LivyLogPage?> GetBatchLogAsync(string id, int? from, int size, CancellationToken cancellationToken) =>
        GetOrNullAsync(["batches", id, "log"], [("from", from), ("size", size)], ClientJson.Default.LivyLogPage, cancellationToken);

    /// <summary><c>DELETE /batches/{id}</c>: kills the app. False when Livy no longer knew the batch.</summary>
    public Task<bool> DeleteBatchAsync(string id, CancellationToken cancellationToken) => DeleteAsync(["batches", id], cancellationToken);

    /// <summary><c>POST /sessions</c>.</summary>
    public async Task<LivySession> CreateSessionAsync(LivySessionRequest request, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync(HttpMethod.Post, ["sessions"], NoQuery, request, ClientJson.Default.LivySessionRequest, cancellationToken).ConfigureAwait(false);
        return transport.Read(answer, ClientJson.Default.LivySession);
    }

    /// <summary><c>GET /sessions/{idOrName}</c>; null on 404.</summary>
    public Task<LivySession?> GetSessionAsync(string idOrName, CancellationToken cancellationToken) =>
        GetOrNullAsync(["sessions", idOrName], NoQuery, ClientJson.Default.LivySession, cancellationToken);

    /// <summary><c>GET /sessions/{id}/log</c>; null on 404.</summary>
    public Task<LivyLogPage?> GetSessionLogAsync(string id, int? from, int size, CancellationToken cancellationToken) =>
        GetOrNullAsync(["sessions", id, "log"], [("from", from), ("size", size)], ClientJson.Default.LivyLogPage, cancellationToken);

    /// <summary><c>DELETE /sessions/{id}</c>. False when Livy no longer knew the session.</summary>
    public Task<bool> DeleteSessionAsync(string id, CancellationToken cancellationToken) => DeleteAsync(["sessions", id], cancellationToken);

    /// <summary><c>POST /sessions/{id}/statements</c>.</summary>
    public async Task<LivyStatement> SubmitStatementAsync(string sessionId, LivyStatementRequest request, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync(HttpMethod.Post, ["sessions", sessionId, "statements"], NoQuery, request, ClientJson.Default.LivyStatementRequest, cancellationToken).ConfigureAwait(false);
        return transport.Read(answer, ClientJson.Default.LivyStatement);
    }

    /// <summary><c>GET /sessions/{id}/statements/{statementId}</c>. Null when the statement or the
    /// session is gone (404), or the session is no longer active (Livy's 400).</summary>
    public async Task<LivyStatement?> GetStatementAsync(string sessionId, string statementId, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(["sessions", sessionId, "statements", statementId], NoQuery, cancellationToken).ConfigureAwait(false);
        return answer.Status is 404 or 400 ? null : transport.Read(answer, ClientJson.Default.LivyStatement);
    }

    /// <summary><c>POST /sessions/{id}/statements/{statementId}/cancel</c>.</summary>
    public async Task CancelStatementAsync(string sessionId, string statementId, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync<object>(HttpMethod.Post, ["sessions", sessionId, "statements", statementId, "cancel"], NoQuery, null, null, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess && answer.Status != 404)
            throw transport.Failure(answer);
    }

    private async Task<T?> GetOrNullAsync<T>(object[] segments, (string, object?)[] query, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var answer = await transport.GetAsync(segments, query, cancellationToken).ConfigureAwait(false);
        return answer.Status == 404 ? null : transport.Read(answer, type);
    }

    private async Task<bool> DeleteAsync(object[] segments, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync<object>(HttpMethod.Delete, segments, NoQuery, null, null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404)
            return false;
        return answer.IsSuccess ? true : throw transport.Failure(answer);
    }
}
