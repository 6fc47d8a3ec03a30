using DagRunner.Clients.Http;
using DagRunner.Operators.Remote;

namespace DagRunner.Operators;

/// <summary>What HTTP tasks share: one call through a connection's transport, answered as a
/// <see cref="HttpResponseInfo"/>.</summary>
internal static class HttpCall
{
    public static async Task<HttpResponseInfo> SendAsync(RemoteClients clients, string connectionId, string method, string endpoint, string? body, IDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var transport = clients.Http(connectionId);
        var answer = await transport.CallAsync(new HttpMethod(method.ToUpperInvariant()), endpoint, body, headers.AsReadOnly(), cancellationToken).ConfigureAwait(false);
        return new HttpResponseInfo(answer.Status, answer.Body, answer.Headers);
    }

    /// <summary>The start of a body, for a log line or an error.</summary>
    public static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
