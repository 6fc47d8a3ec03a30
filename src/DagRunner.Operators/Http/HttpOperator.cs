using DagRunner.Operators.Remote;
using DagRunner.Operators.Templates;
using DagRunner.Sdk;

namespace DagRunner.Operators;

/// <summary>
/// Makes one templated HTTP call. A status code outside 2xx fails the task, as does a
/// <see cref="ResponseCheck"/> that returns false. The response body is the task's output.
/// </summary>
public sealed class HttpOperator : DagTask, ITemplatedOperator
{
    /// <summary>Creates the task.</summary>
    public HttpOperator(string taskId)
        : base(taskId)
    {
    }

    /// <summary>The HTTP method. Default: <c>POST</c>.</summary>
    [Templated]
    public string Method { get; set; } = "POST";

    /// <summary>The path (relative to the connection's URL) or absolute URL, a template.</summary>
    [Templated]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The request body, a template. Default: none.</summary>
    [Templated]
    public string? Body { get; set; }

    /// <summary>Request headers; values are templates.</summary>
    [Templated]
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>An extra check of the response; false fails the task. Default: none.</summary>
    public Func<HttpResponseInfo, bool>? ResponseCheck { get; set; }

    /// <summary>The connection that gives the base URL and credentials. Default: <c>http_default</c>.</summary>
    [Templated]
    public string HttpConnectionId { get; set; } = "http_default";

    PreviewRequest? ITemplatedOperator.RequestPreview(RenderedTask rendered, TaskContext context) => HttpCall.Preview(rendered);

    /// <inheritdoc />
    public override Task<object?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RemoteFailures.AsTaskFailuresAsync(() => CallAsync(context, cancellationToken));
    }

    private async Task<object?> CallAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var call = HttpCall.Prepare(this, context, cancellationToken);
        // Sent once: an HTTP call that changes something is not repeated blindly.
        var response = await call.SendAsync(cancellationToken).ConfigureAwait(false);
        context.Log.WriteLine(call.Answered(response));
        if (response.StatusCode is < 200 or >= 300)
            throw new TaskFailedException(call.Answered(response));
        if (ResponseCheck is { } check && !check(response))
            throw new TaskFailedException($"{call.Shown} answered {response.StatusCode}, but the response check returned false.");
        return response.Body;
    }
}
