using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;

namespace DagRunner.Operators;

/// <summary>What HTTP tasks share: one call through a connection's transport, built from the rendered
/// fields, answered as a <see cref="HttpResponseInfo"/>.</summary>
internal static class HttpCall
{
    /// <summary>The call a rendered <see cref="HttpOperator"/> or <see cref="HttpSensor"/> makes.</summary>
    public static HttpRequestSpec Request(RenderedTask fields) => new(
        fields.Text(nameof(HttpOperator.HttpConnectionId))!,
        fields.Text(nameof(HttpOperator.Method))!.ToUpperInvariant(),
        fields.Text(nameof(HttpOperator.Endpoint))!,
        fields.Text(nameof(HttpOperator.Body)),
        fields.Map(nameof(HttpOperator.Headers)));

    /// <summary>The preview of the call a rendered HTTP task makes.</summary>
    public static PreviewRequest Preview(RenderedTask fields)
    {
        var call = Request(fields);
        return new($"{call.Method} {call.Endpoint}", "http_body.txt", "text", call.Body ?? string.Empty);
    }

    public static async Task<HttpResponseInfo> SendAsync(RemoteClients clients, HttpRequestSpec request, CancellationToken cancellationToken)
    {
        var transport = clients.Http(request.ConnectionId);
        var answer = await transport.CallAsync(new HttpMethod(request.Method), request.Endpoint, request.Body, request.Headers, cancellationToken).ConfigureAwait(false);
        return new HttpResponseInfo(answer.Status, answer.Body, answer.Headers);
    }

    /// <summary>The start of a body, for a log line or an error.</summary>
    public static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
