using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DagRunner.Testing;

/// <summary>
/// A TCP server on loopback that accepts connections and reads what is sent but never answers (or,
/// with <see cref="SendHeaders"/>, answers the status line and headers and then goes silent): a
/// hung server, for testing what a client says when its wait runs out.
/// </summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _loop;

    public SilentServer(bool sendHeaders = false)
    {
        SendHeaders = sendHeaders;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>When true, each request gets <c>200 OK</c> headers promising a body that never comes.</summary>
    public bool SendHeaders { get; }

    /// <summary>How many connections were accepted.</summary>
    public int Connections { get; private set; }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_clients)
            {
                _clients.Add(client);
                Connections++;
            }

            if (SendHeaders)
                _ = AnswerHeadersAsync(client);
        }
    }

    private async Task AnswerHeadersAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer, _stop.Token);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"), _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The test is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_clients)
        {
            foreach (var client in _clients)
                client.Dispose();
        }

        _listener.Dispose();
        _stop.Dispose();
    }
}
