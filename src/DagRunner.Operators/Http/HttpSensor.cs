using DagRunner.Clients.Http;
using DagRunner.Operators.Remote;
using DagRunner.Operators.Sensors;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Calls an HTTP endpoint every <see cref="Sensor.PokeInterval"/> until the response satisfies
/// <see cref="ResponseCheck"/> (default: any 2xx status).
/// </summary>
public sealed class HttpSensor : Sensor, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public HttpSensor(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The HTTP method. Default: <c>GET</c>.</summary>
    [Templated]
    public string Method { get; set; } = "GET";

    /// <summary>The path (relative to the connection's URL) or absolute URL, a template.</summary>
    [Templated]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The request body, a template. Default: none.</summary>
    [Templated]
    public string? Body { get; set; }

    /// <summary>Request headers; values are templates.</summary>
    [Templated]
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a response means the condition holds. Default: a 2xx status.</summary>
    public Func<HttpResponseInfo, bool>? ResponseCheck { get; set; }

    /// <summary>The connection that gives the base URL and credentials. Default: <c>http_default</c>.</summary>
    [Templated]
    public string HttpConnectionId { get; set; } = "http_default";

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) => HttpCall.Preview(rendered);

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RemoteFailures.AsTaskFailuresAsync(() => PokeAsync(context, cancellationToken));
    }

    private Task<object?> PokeAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var call = HttpCall.Prepare(this, context, cancellationToken);
        return SensorLoop.RunAsync(this, context, call.Time, call.Shown, async token =>
        {
            var response = await call.SendAsync(token).ConfigureAwait(false);
            // A 5xx is the server failing, not an answer: ask again, as for a connection error.
            if (response.StatusCode >= 500)
                throw new RemoteApiException(call.Answered(response), response.StatusCode);
            var holds = ResponseCheck?.Invoke(response) ?? response.StatusCode is >= 200 and < 300;
            return holds ? response.Body : null;
        }, cancellationToken);
    }
}
