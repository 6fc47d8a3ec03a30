using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DagRunner.Testing;

/// <summary>
/// A real HTTP proxy on loopback that forwards every request to a server and keeps the exact bytes of
/// each request body it forwarded: what the server received.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private static readonly string[] Forwarded = ["X-Requested-By", "Authorization", "Accept"];
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new();
    private readonly Uri _target;
    private readonly Task _loop;

    public RecordingProxy(Uri target)
    {
        _target = target;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Faults, per request (method, path): null forwards it as usual; otherwise the client is
    /// answered the fault's status, after forwarding the request (<see cref="ProxyFault.Lost"/>: the
    /// server did the work, its answer was lost) or without forwarding it (an outage).</summary>
    public Func<string, string, ProxyFault?>? Faults { get; set; }

    /// <summary>Every request forwarded, in order: method, path and body bytes.</summary>
    public ConcurrentQueue<(string Method, string Path, byte[] Body)> Requests { get; } = new();

    private async Task LoopAsync()
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

            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var fault = Faults?.Invoke(context.Request.HttpMethod, context.Request.Url!.AbsolutePath);
        if (fault is { Lost: false })
        {
            Answer(context, fault.Status);
            return;
        }

        Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, bytes));
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.Url!.PathAndQuery));
        if (bytes.Length > 0)
        {
            request.Content = new ByteArrayContent(bytes);
            if (context.Request.ContentType is { } type)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        foreach (var name in Forwarded)
        {
            if (context.Request.Headers[name] is { } value)
                request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request);
        if (fault is not null)
        {
            Answer(context, fault.Status);
            return;
        }

        var answer = await response.Content.ReadAsByteArrayAsync();
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
            context.Response.ContentType = contentType.ToString();
        await context.Response.OutputStream.WriteAsync(answer);
        context.Response.Close();
    }

    private static void Answer(HttpListenerContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _client.Dispose();
    }
}

/// <summary>What <see cref="RecordingProxy"/> answers instead of the server: <paramref name="Status"/>,
/// after the server handled the request when <paramref name="Lost"/> (a lost answer).</summary>
public sealed record ProxyFault(int Status, bool Lost);
