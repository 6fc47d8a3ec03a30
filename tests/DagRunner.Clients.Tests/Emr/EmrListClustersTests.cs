using System.Text.Json.Nodes;
using DagRunner.Clients.Emr;
using DagRunner.LocalLivy;
using DagRunner.Testing;

namespace DagRunner.Clients.Tests.Emr;

/// <summary><c>ListClusters</c> through <see cref="EmrClient"/>: the request EMR is sent, and the pages LocalLivy's EMR
/// endpoint answers (filtered by state and creation time).</summary>
public sealed class EmrListClustersTests : IDisposable
{
    private readonly EmrStandIn _standIn = new();
    private readonly ManualTimeProvider _time = new(EmrTestKit.Start);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _standIn.Dispose();

    [Fact]
    public async Task ListClusters_RequestHasStatesEpochCreatedAfterAndMarker_AnswerRead()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(200, """{"Clusters":[{"Id":"j-2","Name":"nightly-abc-1","Status":{"State":"WAITING"}}],"Marker":"j-1"}""");

        var page = await client.ListClustersAsync(
            new EmrListClustersRequest { ClusterStates = ["STARTING", "WAITING"], CreatedAfter = DateTimeOffset.FromUnixTimeMilliseconds(1704164645500), Marker = "j-9" }, Token);

        var sent = _standIn.Requests.Single();
        Assert.Equal("ElasticMapReduce.ListClusters", sent.Headers["X-Amz-Target"]);
        var body = JsonNode.Parse(sent.Body)!;
        Assert.Equal(["STARTING", "WAITING"], body["ClusterStates"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(1704164645.5, (double)body["CreatedAfter"]!);
        Assert.Equal("j-9", (string?)body["Marker"]);
        var cluster = Assert.Single(page.Clusters);
        Assert.Equal("j-2", cluster.Id);
        Assert.Equal("nightly-abc-1", cluster.Name);
        Assert.Equal("WAITING", cluster.Status.State);
        Assert.Equal("j-1", page.Marker);
    }

    [Fact]
    public async Task ListClusters_NothingSet_EmptyBody()
    {
        using var client = new EmrClient(EmrTestKit.Options(_standIn, _time));
        _standIn.Answer(200, """{"Clusters":[]}""");

        var page = await client.ListClustersAsync(new EmrListClustersRequest(), Token);

        Assert.Equal("{}", _standIn.Requests.Single().Body);
        Assert.Empty(page.Clusters);
        Assert.Null(page.Marker);
    }

    [Fact]
    public async Task ListClusters_OnLocalLivy_FilteredByStateAndCreationTime()
    {
        using var jobs = new TempFolder("emr-list");
        await using var server = await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = jobs.Path }, Token);
        using var client = new EmrClient(new EmrOptions
        {
            Region = "us-east-1",
            Endpoint = server.EmrUrl,
            Credentials = new EmrCredentials("local-key", "local-secret"),
        });
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var older = await client.RunJobFlowAsync(new JsonObject { ["Name"] = "older", ["ReleaseLabel"] = "emr-7.5.0", ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true } }, Token);
        var ended = await client.RunJobFlowAsync(new JsonObject { ["Name"] = "ended", ["ReleaseLabel"] = "emr-7.5.0", ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true } }, Token);
        await client.TerminateJobFlowsAsync([ended.JobFlowId], Token);

        var all = await client.ListClustersAsync(new EmrListClustersRequest { CreatedAfter = before }, Token);
        var waiting = await client.ListClustersAsync(new EmrListClustersRequest { ClusterStates = ["WAITING"] }, Token);
        var future = await client.ListClustersAsync(new EmrListClustersRequest { CreatedAfter = DateTimeOffset.UtcNow.AddHours(1) }, Token);

        Assert.Equal(2, all.Clusters.Count);
        Assert.Contains(all.Clusters, c => c.Id == older.JobFlowId && c.Name == "older");
        Assert.Equal([older.JobFlowId], waiting.Clusters.Select(c => c.Id));
        Assert.Empty(future.Clusters);
        var error = await Assert.ThrowsAnyAsync<EmrException>(() => client.ListClustersAsync(new EmrListClustersRequest { ClusterStates = ["SLEEPING"] }, Token));
        Assert.Contains("SLEEPING", error.Message, StringComparison.Ordinal);
    }
}
