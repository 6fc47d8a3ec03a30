using DagRunner.Clients.Connections;
using DagRunner.Clients.Http;
using DagRunner.Clients.Livy;
using DagRunner.Clients.Spark;
using DagRunner.Clients.WebHdfs;
using DagRunner.Clients.Yarn;
using DagRunner.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DagRunner.Clients.Tests;

/// <summary>A LocalLivy on 127.0.0.1:0 and our four clients pointed at it.</summary>
internal sealed class ClientsFixture : IAsyncDisposable
{
    /// <summary>Retries fast enough for tests, and enough of them for a server answering 500 half the time.</summary>
    public static readonly ClientOptions FastRetries = new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetries = 20,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    private ClientsFixture(LocalLivy.LocalLivyServer server, TempFolder jobs, Connection connection)
    {
        Server = server;
        Jobs = jobs;
        Livy = new LivyClient(new RestTransport(connection, "Livy", FastRetries, NullLogger.Instance));
        Yarn = new YarnClient(new RestTransport(connection, "YARN", FastRetries, NullLogger.Instance));
        Spark = new SparkClient(new RestTransport(connection, "Spark", FastRetries, NullLogger.Instance));
        WebHdfs = new WebHdfsClient(new RestTransport(connection, "WebHDFS", FastRetries, NullLogger.Instance));
    }

    public LocalLivy.LocalLivyServer Server { get; }
    public TempFolder Jobs { get; }
    public LivyClient Livy { get; }
    public YarnClient Yarn { get; }
    public SparkClient Spark { get; }
    public WebHdfsClient WebHdfs { get; }

    public static async Task<ClientsFixture> StartAsync()
    {
        var jobs = new TempFolder("clients-jobs");
        var server = await LocalLivy.LocalLivyServer.StartAsync(new LocalLivy.LocalLivyOptions { Port = 0, JobsRoot = jobs.Path }, TestContext.Current.CancellationToken);
        return new ClientsFixture(server, jobs, Connection.Parse("livy_default", server.BaseUrl.ToString()));
    }

    /// <summary>Polls a batch until it is final, as an operator does.</summary>
    public async Task<LivyBatch> WaitForBatchAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var batch = await Livy.GetBatchAsync(id, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"batch {id} is gone");
            if (LivyStates.IsFinalBatchState(batch.State))
                return batch;
            Assert.True(DateTime.UtcNow < deadline, $"batch {id} still {batch.State}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Livy.Transport.Dispose();
        Yarn.Transport.Dispose();
        Spark.Transport.Dispose();
        WebHdfs.Transport.Dispose();
        await Server.DisposeAsync();
        Jobs.Dispose();
    }
}
