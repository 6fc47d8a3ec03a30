using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.LocalLivy.Tests.Emr;

/// <summary>ListClusters (newest first, state and creation filters, marker paging by id) and ListSteps' marker,
/// the id of the next page's first step: what the operators read to find a cluster or a step by name.</summary>
public sealed class EmrListingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static async Task<string> RunJobFlowAsync(LivyTestServer livy, string name)
    {
        var created = await livy.EmrOkAsync("RunJobFlow", new JsonObject
        {
            ["Name"] = name,
            ["ReleaseLabel"] = "emr-7.5.0",
            ["Instances"] = new JsonObject { ["KeepJobFlowAliveWhenNoSteps"] = true },
        });
        return (string)created["JobFlowId"]!;
    }

    private static List<string> Ids(JsonNode page, string member) => [.. page[member]!.AsArray().Select(c => (string)c!["Id"]!)];

    [Fact]
    public async Task ListClusters_NewestFirst_PagedByTheIdOfTheNextPagesFirstCluster()
    {
        var time = new FakeTimeProvider(Start);
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        var created = new List<string>();
        for (var i = 0; i < 53; i++)
        {
            created.Add(await RunJobFlowAsync(livy, $"cluster-{i}"));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var newestFirst = Enumerable.Reverse(created).ToList();

        var first = await livy.EmrOkAsync("ListClusters");
        Assert.Equal(newestFirst.Take(50), Ids(first, "Clusters"));
        Assert.Equal("cluster-52", (string?)first["Clusters"]![0]!["Name"]);
        Assert.Equal(newestFirst[50], (string?)first["Marker"]);

        // Clusters started between two pages come first: the page after the marker is unchanged.
        await RunJobFlowAsync(livy, "late-1");
        time.Advance(TimeSpan.FromSeconds(1));
        await RunJobFlowAsync(livy, "late-2");

        var second = await livy.EmrOkAsync("ListClusters", new JsonObject { ["Marker"] = (string?)first["Marker"] });
        Assert.Equal(newestFirst.Skip(50), Ids(second, "Clusters"));
        Assert.Null(second["Marker"]);
        Assert.Equal("WAITING", (string?)second["Clusters"]![0]!["Status"]!["State"]);
    }

    [Fact]
    public async Task ListClusters_CreatedAfter_OnlyClustersCreatedAtOrAfterIt()
    {
        var time = new FakeTimeProvider(Start);
        await using var livy = await LivyTestServer.StartAsync(o => o.TimeProvider = time);
        await RunJobFlowAsync(livy, "old");
        time.Advance(TimeSpan.FromMinutes(10));
        var atTheLimit = await RunJobFlowAsync(livy, "at-the-limit");
        time.Advance(TimeSpan.FromMinutes(10));
        var newer = await RunJobFlowAsync(livy, "newer");

        var page = await livy.EmrOkAsync("ListClusters", new JsonObject { ["CreatedAfter"] = Start.AddMinutes(10).ToUnixTimeSeconds() });

        Assert.Equal([newer, atTheLimit], Ids(page, "Clusters"));
        Assert.Null(page["Marker"]);
    }

    [Fact]
    public async Task ListClusters_ClusterStates_FilterByState()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var kept = await RunJobFlowAsync(livy, "kept");
        var ended = await RunJobFlowAsync(livy, "ended");
        await livy.EmrOkAsync("TerminateJobFlows", new JsonObject { ["JobFlowIds"] = new JsonArray(ended) });
        await livy.WaitForClusterAsync(ended, "TERMINATED");

        var waiting = await livy.EmrOkAsync("ListClusters", new JsonObject { ["ClusterStates"] = new JsonArray("WAITING", "RUNNING") });
        var terminated = await livy.EmrOkAsync("ListClusters", new JsonObject { ["ClusterStates"] = new JsonArray("TERMINATED") });
        var all = await livy.EmrOkAsync("ListClusters", new JsonObject { ["ClusterStates"] = new JsonArray() });

        Assert.Equal([kept], Ids(waiting, "Clusters"));
        Assert.Equal([ended], Ids(terminated, "Clusters"));
        Assert.Equal(2, all["Clusters"]!.AsArray().Count);
    }

    [Fact]
    public async Task ListClusters_UnknownState_ValidationException()
    {
        await using var livy = await LivyTestServer.StartAsync();
        await RunJobFlowAsync(livy, "any");

        var answer = await livy.EmrAsync("ListClusters", new JsonObject { ["ClusterStates"] = new JsonArray("WAITING", "SLEEPING") });

        EmrKit.AssertError(answer, 400, "ValidationException");
        Assert.Contains("SLEEPING", (string?)answer.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListClusters_UnknownMarker_InvalidRequestException()
    {
        await using var livy = await LivyTestServer.StartAsync();
        await RunJobFlowAsync(livy, "any");

        EmrKit.AssertError(await livy.EmrAsync("ListClusters", new JsonObject { ["Marker"] = "j-NOSUCHCLUSTER" }), 400, "InvalidRequestException");
    }

    [Fact]
    public async Task ListSteps_MarkerIsTheNextPagesFirstStep_StepsAddedBetweenPagesDoNotShiftIt()
    {
        await using var livy = await LivyTestServer.StartAsync();
        var cluster = await livy.StartClusterAsync(stepConcurrency: 1);
        // The first step runs (and sleeps); the others wait behind it, PENDING.
        var ids = await livy.AddStepsAsync(cluster, livy.SparkStep(Batches.BatchKit.SleepScript, "emr-list-steps", "sleeper"));
        var pending = livy.SparkStep("pass\n", "emr-list-pending", "pending");
        ids.AddRange(await livy.AddStepsAsync(cluster, [.. Enumerable.Range(0, 59).Select(_ => (JsonObject)pending.DeepClone())]));
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var first = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster });
        Assert.Equal(newestFirst.Take(50), Ids(first, "Steps"));
        Assert.Equal(newestFirst[50], (string?)first["Marker"]);

        var late = await livy.AddStepsAsync(cluster, [.. Enumerable.Range(0, 5).Select(_ => (JsonObject)pending.DeepClone())]);

        var second = await livy.EmrOkAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster, ["Marker"] = (string?)first["Marker"] });
        Assert.Equal(newestFirst.Skip(50), Ids(second, "Steps"));
        Assert.Equal("sleeper", (string?)second["Steps"]!.AsArray()[^1]!["Name"]);
        Assert.Null(second["Marker"]);
        Assert.DoesNotContain(late[0], Ids(second, "Steps"));

        EmrKit.AssertError(await livy.EmrAsync("ListSteps", new JsonObject { ["ClusterId"] = cluster, ["Marker"] = "50" }), 400, "InvalidRequestException");
    }
}
