using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Clients.Tests.Http;

/// <summary>A server that accepts and never answers: the error names the call, the wait that ran
/// out and how long it was, never just "The operation was canceled."; a cancellation by the caller
/// stays a cancellation.</summary>
public sealed class HungServerTests
{
    private static readonly ClientOptions OneSecond = ClientsFixture.FastRetries with { RequestTimeout = TimeSpan.FromSeconds(1), MaxRetries = 1 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_NoAnswer_SaysWhichWaitRanOutAndHowLong(bool headersOnly)
    {
        await using var server = new SilentServer(headersOnly);
        using var transport = new RestTransport(Connection.Parse("livy_default", server.BaseUrl.ToString()), "Livy", OneSecond, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<RemoteApiException>(() => new LivyClient(transport).GetBatchAsync("3", TestContext.Current.CancellationToken));

        Assert.Contains($"GET {server.BaseUrl}batches/3 got no answer within 1 s (ClientOptions.RequestTimeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NoAnswer_SaysWhichWaitRanOutAndHowLong()
    {
        await using var server = new SilentServer();
        using var transport = new RestTransport(Connection.Parse("livy_default", server.BaseUrl.ToString()), "Livy", OneSecond, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<RemoteApiException>(() => new LivyClient(transport).CreateBatchAsync(new LivyBatchRequest { File = "local:///x.py" }, TestContext.Current.CancellationToken));

        Assert.Contains($"POST {server.BaseUrl}batches got no answer within 1 s (ClientOptions.RequestTimeout)", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Status);
    }

    [Fact]
    public async Task Get_RetryBudgetRunsOut_NamesTheBudget()
    {
        await using var server = new SilentServer();
        var options = ClientsFixture.FastRetries with { RequestTimeout = TimeSpan.FromSeconds(30), RetryBudget = TimeSpan.FromSeconds(1) };
        using var transport = new RestTransport(Connection.Parse("livy_default", server.BaseUrl.ToString()), "Livy", options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<RemoteApiException>(() => new LivyClient(transport).GetBatchAsync("3", TestContext.Current.CancellationToken));

        Assert.Contains($"GET {server.BaseUrl}batches/3 got no usable answer within 1 s (ClientOptions.RetryBudget)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CallerCancels_IsACancellationNotATimeout()
    {
        await using var server = new SilentServer();
        using var transport = new RestTransport(Connection.Parse("livy_default", server.BaseUrl.ToString()), "Livy", ClientsFixture.FastRetries, NullLogger.Instance);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LivyClient(transport).GetBatchAsync("3", cancel.Token));

        Assert.Contains("was cancelled", error.Message, StringComparison.Ordinal);
    }
}
