using System.Net;
using System.Text;
using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Clients.Tests.Http;

/// <summary>Answers no API documents, from a raw HTTP listener on loopback: each a clear error that
/// quotes what came back, never a crash. Also what every request carries.</summary>
public sealed class MalformedAnswerTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _baseUrl;
    private readonly List<HttpListenerRequest> _requests = [];

    public MalformedAnswerTests()
    {
        var port = FreePort();
        _baseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_baseUrl);
        _listener.Start();
    }

    public void Dispose() => _listener.Close();

    [Theory]
    [InlineData(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "answered 502: HTML page: 502 Bad Gateway")]
    [InlineData(200, "application/json", "{\"id\": 3, \"state\": ", "not the documented JSON")]
    [InlineData(200, "application/json", "{\"id\": 3}", "not the documented JSON")]
    [InlineData(200, "text/html", "<html>login page</html>", "<html>login page</html>")]
    public async Task GetBatch_UndocumentedAnswer_ClearErrorQuotingIt(int status, string type, string body, string expected)
    {
        using var transport = Transport("http://" + _baseUrl["http://".Length..]);
        var client = new LivyClient(transport);
        var serving = ServeAsync(status, type, body);

        var error = await Assert.ThrowsAsync<RemoteApiException>(() => client.GetBatchAsync("3", TestContext.Current.CancellationToken));
        await serving;

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("GET " + _baseUrl + "batches/3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownState_IsReadAsIs()
    {
        using var transport = Transport(_baseUrl);
        var serving = ServeAsync(200, "application/json", "{\"id\":\"b-7\",\"state\":\"rescheduling\",\"appId\":null}");

        var batch = await new LivyClient(transport).GetBatchAsync("b-7", TestContext.Current.CancellationToken);
        await serving;

        Assert.Equal("b-7", batch!.Id);
        Assert.Equal("rescheduling", batch.State);
        Assert.False(LivyStates.IsKnown(batch.State));
        Assert.False(LivyStates.IsFinalBatchState(batch.State));
    }

    [Fact]
    public async Task EveryRequest_CarriesPrefixAuthHeadersAndRequestedBy()
    {
        var uri = $"http://alice:pw@127.0.0.1:{new Uri(_baseUrl).Port}/gateway/default/livy?header.X-Team=data";
        using var transport = Transport(uri);
        var serving = ServeAsync(200, "application/json", "{\"id\":0,\"state\":\"running\"}");

        await new LivyClient(transport).GetBatchStateAsync("0", TestContext.Current.CancellationToken);
        await serving;

        var request = Assert.Single(_requests);
        Assert.Equal("/gateway/default/livy/batches/0/state", request.Url!.AbsolutePath);
        Assert.Equal("dagrunner", request.Headers["X-Requested-By"]);
        Assert.Equal("data", request.Headers["X-Team"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw")), request.Headers["Authorization"]);
    }

    private static RestTransport Transport(string uri) =>
        new(Connection.Parse("livy_default", uri), "Livy", ClientsFixture.FastRetries with { MaxRetries = 1 }, NullLogger.Instance);

    // A GET that gets a 5xx is asked again (MaxRetries = 1 here): serve the same answer twice then.
    private async Task ServeAsync(int status, string type, string body)
    {
        for (var i = 0; i < (status >= 500 ? 2 : 1); i++)
        {
            var context = await _listener.GetContextAsync();
            _requests.Add(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes, TestContext.Current.CancellationToken);
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
