namespace DagRunner.LocalLivy.Tests.Server;

/// <summary>Chosen answers (<see cref="LocalLivyFaults.AnswerRequests"/>): by method and by path in
/// whole segments, a repeatable seeded share, at most a number of times, and cleared on demand.</summary>
public sealed class RequestRuleTests
{
    [Fact]
    public async Task Rule_TakesItsMethodAndPathAndWhatIsBelowOnly()
    {
        await using var livy = await LivyTestServer.StartAsync();
        livy.Server.Faults.AnswerRequests("GET", "/batches/0", 404);

        Assert.Equal(404, (await livy.SendAsync(HttpMethod.Get, "/batches/0")).Status);
        Assert.Equal(404, (await livy.SendAsync(HttpMethod.Get, "/batches/0/log")).Status);
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/batches")).Status);
        Assert.NotEqual(404, (await livy.SendAsync(HttpMethod.Get, "/version")).Status);
        livy.Server.Faults.ClearRequestRules();
        Assert.Equal(200, (await livy.SendAsync(HttpMethod.Get, "/batches")).Status);
    }

    [Fact]
    public async Task SeededShare_IsTheSameEveryRun_AndTimesLimitsIt()
    {
        await using var livy = await LivyTestServer.StartAsync();

        async Task<string> PatternAsync(int seed)
        {
            livy.Server.Faults.ClearRequestRules();
            livy.Server.Faults.AnswerRequests("GET", "/batches", 503, rate: 0.5, seed: seed);
            var marks = "";
            for (var i = 0; i < 24; i++)
                marks += (await livy.SendAsync(HttpMethod.Get, "/batches")).Status == 503 ? 'x' : '.';
            return marks;
        }

        var first = await PatternAsync(7);
        Assert.Equal(first, await PatternAsync(7));
        Assert.Contains('x', first);
        Assert.Contains('.', first);

        livy.Server.Faults.ClearRequestRules();
        livy.Server.Faults.AnswerRequests("GET", "/batches", 503, times: 2);
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await livy.SendAsync(HttpMethod.Get, "/batches")).Status);
        Assert.Equal([503, 503, 200, 200], statuses);
    }
}
