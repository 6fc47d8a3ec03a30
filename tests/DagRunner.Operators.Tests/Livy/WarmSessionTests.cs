using DagRunner.Clients.Livy;
using DagRunner.Operators.Livy.Session;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.Livy;

/// <summary><c>dev --warm</c>: a session task keeps its session between runs and runs only from the first changed statement.</summary>
public sealed class WarmSessionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static LivySessionOperator Task(string last = "x * 10", string? driverMemory = null) => new("report")
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        DriverMemory = driverMemory,
        Statements = { Statement.Inline("x = globals().get('x', 0) + 1"), Statement.Inline(last) },
    };

    private static async Task<(string? Result, string Log)> RunAsync(LivyTestbed bed, LivySessionOperator task)
    {
        using var log = new StringWriter();
        var output = (IReadOnlyDictionary<string, object?>)(await task.ExecuteAsync(bed.Context("report", log), Token))!;
        return ((string?)output["result"], log.ToString());
    }

    [Fact]
    public async Task Unchanged_RunsNothing_AndAnswersWithTheKeptOutputs()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Warm.Enabled = true;

        var (first, _) = await RunAsync(bed, Task());
        var (second, log) = await RunAsync(bed, Task());
        var (third, changedLog) = await RunAsync(bed, Task("x * 100"));

        Assert.Equal("10", first);
        Assert.Equal("10", second);
        Assert.Contains("all 2 statement(s) unchanged since the last run; nothing to run", log, StringComparison.Ordinal);
        Assert.DoesNotContain("as sent:", log, StringComparison.Ordinal);
        // Only the changed statement ran: x was set once, in the first run.
        Assert.Equal("100", third);
        Assert.Contains("running from statement 2", changedLog, StringComparison.Ordinal);
        Assert.Equal(1, bed.Warm.Count);
        Assert.Equal(1, await bed.Warm.CloseAllAsync());
        Assert.DoesNotContain((await bed.Clients.Livy("livy_default").ListSessionsAsync(0, 100, Token)).Sessions, s => s.State is not ("dead" or "killed"));
    }

    [Fact]
    public async Task RunCancelledWhileTakingTheSessionBack_DoesNotLeakIt()
    {
        DagRunner.LocalLivy.LocalLivyOptions? options = null;
        await using var bed = await LivyTestbed.StartAsync(o => options = o);
        bed.Warm.Enabled = true;
        await RunAsync(bed, Task());
        Assert.Equal(1, bed.Warm.Count);

        // A newer save cancels the run while Livy is slow to say how the kept session is.
        options!.Faults.Latency = TimeSpan.FromSeconds(2);
        using var save = CancellationTokenSource.CreateLinkedTokenSource(Token);
        save.CancelAfter(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task().ExecuteAsync(bed.Context("report", TextWriter.Null), save.Token));
        options.Faults.Latency = TimeSpan.Zero;
        await bed.Warm.CloseAllAsync();

        Assert.DoesNotContain((await bed.Clients.Livy("livy_default").ListSessionsAsync(0, 100, Token)).Sessions, s => s.State is not ("dead" or "killed"));
    }

    [Fact]
    public async Task KeptSessionThatDied_IsReplaced()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Warm.Enabled = true;
        await RunAsync(bed, Task());
        var kept = Assert.Single((await bed.Clients.Livy("livy_default").ListSessionsAsync(0, 100, Token)).Sessions);
        await bed.Clients.Livy("livy_default").DeleteSessionAsync(kept.Id, Token);

        var (result, log) = await RunAsync(bed, Task());

        Assert.Equal("10", result);
        Assert.Contains($"Warm session {kept.Id} is gone", log, StringComparison.Ordinal);
        Assert.Contains("Created Livy session", log, StringComparison.Ordinal);
        await bed.Warm.CloseAllAsync();
    }

    [Fact]
    public async Task OtherSettings_ReplaceTheSession()
    {
        await using var bed = await LivyTestbed.StartAsync();
        bed.Warm.Enabled = true;
        await RunAsync(bed, Task());

        var (result, log) = await RunAsync(bed, Task(driverMemory: "2g"));

        Assert.Equal("10", result);
        Assert.Contains("was created with other settings: deleting it", log, StringComparison.Ordinal);
        await bed.Warm.CloseAllAsync();
    }

    [Fact]
    public async Task Disabled_DeletesTheSessionAsAlways()
    {
        await using var bed = await LivyTestbed.StartAsync();

        var (_, log) = await RunAsync(bed, Task());

        Assert.Contains("Deleted session", log, StringComparison.Ordinal);
        Assert.Equal(0, bed.Warm.Count);
    }

    [Fact]
    public void Fingerprint_IgnoresTheAttemptsOwnTag_ButNotTheSettings()
    {
        var server = new Uri("http://livy:8998/");
        LivySessionRequest Request(string tags, string memory) => new() { Kind = "pyspark", DriverMemory = memory, Conf = new Dictionary<string, string> { ["spark.yarn.tags"] = tags, ["spark.x"] = "1" } };

        Assert.Equal(WarmSessions.Fingerprint(Request("team,dagrunner-aaa", "1g"), server), WarmSessions.Fingerprint(Request("team,dagrunner-bbb", "1g"), server));
        Assert.NotEqual(WarmSessions.Fingerprint(Request("team,dagrunner-aaa", "1g"), server), WarmSessions.Fingerprint(Request("other,dagrunner-aaa", "1g"), server));
        Assert.NotEqual(WarmSessions.Fingerprint(Request("dagrunner-aaa", "1g"), server), WarmSessions.Fingerprint(Request("dagrunner-aaa", "2g"), server));
        Assert.NotEqual(WarmSessions.Fingerprint(Request("dagrunner-aaa", "1g"), server), WarmSessions.Fingerprint(Request("dagrunner-aaa", "1g"), new Uri("http://other:8998/")));
    }
}
