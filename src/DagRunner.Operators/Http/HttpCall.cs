using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>The request code <see cref="HttpOperator"/> and <see cref="HttpSensor"/> share: their
/// templated fields rendered once per attempt, the call as logs and errors show it (secrets masked),
/// and sending it through the connection's transport (base URL, auth, TLS, headers; GETs retried
/// by the client, other methods sent once).</summary>
internal sealed class HttpCall
{
    private readonly RemoteClients _clients;
    private readonly HttpRequestSpec _request;

    private HttpCall(RemoteClients clients, HttpRequestSpec request, string shown)
    {
        _clients = clients;
        _request = request;
        Shown = shown;
    }

    /// <summary>The method and endpoint, secrets masked: the endpoint may hold a secret parameter
    /// (a token in the query).</summary>
    public string Shown { get; }

    /// <summary>The clock of the remote clients (a sensor's pokes).</summary>
    public TimeProvider Time => _clients.Time;

    /// <summary>The call <paramref name="task"/> (an HTTP operator or sensor) makes in <paramref name="context"/>.</summary>
    public static HttpCall Prepare(DagTask task, TaskContext context, CancellationToken cancellationToken)
    {
        var clients = RemoteClients.For(context);
        var request = Request(TaskTemplates.For(context).Render(task, context, cancellationToken));
        return new HttpCall(clients, request, SecretMask.From(context.Params, context.Conf).Apply(request.ToString()));
    }

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

    /// <summary>Sends the call; the answer whatever its status.</summary>
    public async Task<HttpResponseInfo> SendAsync(CancellationToken cancellationToken)
    {
        var transport = _clients.Http(_request.ConnectionId);
        var answer = await transport.CallAsync(new HttpMethod(_request.Method), _request.Endpoint, _request.Body, _request.Headers, cancellationToken).ConfigureAwait(false);
        return new HttpResponseInfo(answer.Status, answer.Body, answer.Headers);
    }

    /// <summary>What the call answered, for a log line or an error: <c>GET /x answered 404: {body}</c>.</summary>
    public string Answered(HttpResponseInfo response) => $"{Shown} answered {response.StatusCode}: {Excerpt(response.Body)}";

    /// <summary>The start of a body, for a log line or an error.</summary>
    private static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
