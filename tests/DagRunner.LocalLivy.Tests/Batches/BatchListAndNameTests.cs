using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Tests.Batches;

/// <summary><c>GET /batches</c> (items under <c>"sessions"</c>), paging, lookup by name and the
/// name rules (reference §0.4, §1.1, §1.4, §8.9).</summary>
public sealed class BatchListAndNameTests
{
    private static async Task<LivyTestServer> StartWithThreeBatchesAsync()
    {
        var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("ok.py", "pass\n");
        foreach (var name in new[] { "alpha", "beta", "gamma" })
            await livy.CreateBatchAsync(new { file = "local:///ok.py", name });
        for (var id = 0; id < 3; id++)
            await livy.WaitForBatchAsync(id, "success");
        return livy;
    }

    private static int[] Ids(JsonNode list) => [.. list["sessions"]!.AsArray().Select(b => (int)b!["id"]!)];

    [Fact]
    public async Task List_Batches_PutsItemsUnderSessionsWithFromAndTotal()
    {
        await using var livy = await StartWithThreeBatchesAsync();

        var list = Assert.IsType<JsonObject>(await livy.GetJsonAsync("/batches"));

        Assert.Equal(["from", "total", "sessions"], list.Select(p => p.Key));
        Assert.Equal(0, (int)list["from"]!);
        Assert.Equal(3, (int)list["total"]!);
        Assert.Equal([0, 1, 2], Ids(list));
        var first = list["sessions"]![0]!;
        Assert.Equal("alpha", (string?)first["name"]);
        Assert.Equal("success", (string?)first["state"]);
        Assert.Null(first["kind"]);
    }

    [Fact]
    public async Task List_FromAndSize_PageByPositionWithGrandTotal()
    {
        await using var livy = await StartWithThreeBatchesAsync();

        var page = await livy.GetJsonAsync("/batches?from=1&size=1");
        Assert.Equal(1, (int)page["from"]!);
        Assert.Equal(3, (int)page["total"]!);
        Assert.Equal([1], Ids(page));

        var fromOnly = Ids(await livy.GetJsonAsync("/batches?from=1"));
        Assert.Equal([1, 2], fromOnly);
        var sizeOnly = Ids(await livy.GetJsonAsync("/batches?size=2"));
        Assert.Equal([0, 1], sizeOnly);
        var negative = await livy.GetJsonAsync("/batches?size=-1");
        Assert.Empty(Ids(negative));
        Assert.Equal(3, (int)negative["total"]!);
        var beyond = await livy.GetJsonAsync("/batches?from=7");
        Assert.Empty(Ids(beyond));
        Assert.Equal(7, (int)beyond["from"]!);
        Assert.Equal(3, (int)beyond["total"]!);
    }

    [Fact]
    public async Task List_NonIntegerFrom_Answers400()
    {
        await using var livy = await LivyTestServer.StartAsync();

        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, "/batches?from=x");

        Assert.Equal(400, status);
        BatchKit.AssertMsg(body, "For input string: \"x\"");
    }

    [Fact]
    public async Task Get_ByName_FindsThatBatch()
    {
        await using var livy = await StartWithThreeBatchesAsync();

        var batch = await livy.GetJsonAsync("/batches/beta");
        Assert.Equal(1, (int)batch["id"]!);
        Assert.Equal("beta", (string?)batch["name"]);

        var state = await livy.GetJsonAsync("/batches/gamma/state");
        Assert.Equal(2, (int)state["id"]!);
        var log = await livy.GetJsonAsync("/batches/alpha/log");
        Assert.Equal(0, (int)log["id"]!);

        var (status, body, _) = await livy.SendAsync(HttpMethod.Get, "/batches/delta");
        Assert.Equal(404, status);
        BatchKit.AssertMsg(body, "Session 'delta' not found.");
    }

    [Fact]
    public async Task Create_DuplicateName_Answers400AndStillConsumesAnId()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("ok.py", "pass\n");
        Assert.Equal(0, await livy.CreateBatchAsync(new { file = "local:///ok.py", name = "nightly" }));

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "local:///ok.py", name = "nightly" });

        Assert.Equal(400, status);
        Assert.StartsWith("Rejected, Reason: Duplicate session name: Some(nightly)", BatchKit.Msg(body), StringComparison.Ordinal);
        // The refused create took id 1: the next batch is 2, and only two batches exist.
        Assert.Equal(2, await livy.CreateBatchAsync(new { file = "local:///ok.py", name = "other" }));
        var list = await livy.GetJsonAsync("/batches");
        Assert.Equal([0, 2], Ids(list));
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches/nightly"))["id"]!);
    }

    [Fact]
    public async Task Create_AllDigitName_Answers400()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Jobs.Write("ok.py", "pass\n");

        var (status, body, _) = await livy.PostAsync("/batches", new { file = "local:///ok.py", name = "12345" });

        Assert.Equal(400, status);
        var msg = BatchKit.Msg(body);
        Assert.StartsWith("Rejected, Reason: ", msg, StringComparison.Ordinal);
        Assert.Contains("12345", msg, StringComparison.Ordinal);
        Assert.Equal(0, (int)(await livy.GetJsonAsync("/batches"))["total"]!);
    }
}
