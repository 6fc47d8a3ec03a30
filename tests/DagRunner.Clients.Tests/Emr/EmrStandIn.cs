using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace DagRunner.Clients.Tests.Emr;

/// <summary>A small EMR on loopback under <c>/emr/</c>: records every request and answers each from a
/// queue of scripted answers, in order.</summary>
internal sealed class EmrStandIn : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Body, string? ErrorType)> _answers = new();
    private readonly Task _serving;

    public EmrStandIn()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/emr/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public void Answer(int status, string body, string? errorType = null) => _answers.Enqueue((status, body, errorType));

    public void Dispose()
    {
        _listener.Close();
        _ = _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, await reader.ReadToEndAsync()));
            }

            var (status, body, errorType) = _answers.TryDequeue(out var answer) ? answer : (500, "{\"message\":\"no answer scripted\"}", null);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            if (errorType is not null)
                context.Response.Headers["x-amzn-ErrorType"] = errorType;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
