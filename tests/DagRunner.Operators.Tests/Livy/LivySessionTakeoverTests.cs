using System.Text.Json;
using DagRunner.Operators.Livy.Session;
using DagRunner.Sdk;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>A runner that stops gracefully leaves its session running; the next runner of the same
/// attempt takes it over, follows the statement that was running, and runs the rest.</summary>
public sealed class LivySessionTakeoverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static LivySessionOperator Task() => new("report")
    {
        PollInterval = TimeSpan.FromMilliseconds(100),
        Statements =
        {
            Statement.Inline("x = 1"),
            Statement.Inline("import time\ntime.sleep(2)\nx += 1"),
            Statement.Inline("x * 10"),
        },
    };

    private static TaskContext WithDetach(TaskContext context, CheckpointStore checkpoints, CancellationToken detach) => new()
    {
        DagId = context.DagId,
        TaskId = context.TaskId,
        RunId = context.RunId,
        LogicalDate = context.LogicalDate,
        Log = context.Log,
        Services = context.Services,
        Checkpoint = checkpoints.For(context.DagId, context.RunId, context.TaskId, context.TryNumber),
        DetachToken = detach,
    };

    // Stops the runner the moment statement 2 is recorded as running: a graceful stop mid-statement.
    private sealed class StopWhenSecondStatementRuns(CheckpointStore inner, CancellationTokenSource detach) : CheckpointStore
    {
        public override async Task SaveAsync(string attemptKey, string kind, string json, CancellationToken cancellationToken)
        {
            await inner.SaveAsync(attemptKey, kind, json, cancellationToken);
            if (kind == LivySessionHandle.Kind && JsonSerializer.Deserialize<LivySessionHandle>(json) is { Outputs.Count: 1, RunningStatementId: not null })
                await detach.CancelAsync();
        }

        public override Task<string?> LoadAsync(string attemptKey, string kind, CancellationToken cancellationToken) => inner.LoadAsync(attemptKey, kind, cancellationToken);
    }

    [Fact]
    public async Task StoppedGracefullyMidStatement_NextRunnerTakesTheSessionOver()
    {
        await using var bed = await LivyTestbed.StartAsync();
        using var detach = CancellationTokenSource.CreateLinkedTokenSource(Token);
        using var firstLog = new StringWriter();
        var checkpoints = new StopWhenSecondStatementRuns(bed.Checkpoints, detach);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task().ExecuteAsync(WithDetach(bed.Context("report", firstLog), checkpoints, detach.Token), detach.Token));

        var context = bed.Context("report", TextWriter.Null);
        var handle = await context.Checkpoint.LoadAsync<LivySessionHandle>(LivySessionHandle.Kind, Token);
        Assert.NotNull(handle);
        Assert.Single(handle.Outputs);
        Assert.NotNull(handle.RunningStatementId);
        Assert.NotNull(await bed.Clients.Livy("livy_default").GetSessionAsync(handle.SessionId, Token));
        Assert.Contains("left running for the next runner", firstLog.ToString(), StringComparison.Ordinal);

        using var secondLog = new StringWriter();
        var output = (IReadOnlyDictionary<string, object?>)(await Task().ExecuteAsync(bed.Context("report", secondLog), Token))!;

        Assert.Equal(handle.SessionId, output["session_id"]);
        Assert.Equal("20", output["result"]);
        Assert.Contains($"taking over session {handle.SessionId}", secondLog.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Statement 2/3 (inline) was submitted by an earlier runner as Livy statement {handle.RunningStatementId}: following it", secondLog.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Created Livy session", secondLog.ToString(), StringComparison.Ordinal);
        Assert.Null(await bed.Clients.Livy("livy_default").GetSessionAsync(handle.SessionId, Token));
    }

    [Fact]
    public async Task RecordedSessionGone_StartsANewOne()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var context = bed.Context("report", TextWriter.Null);
        await context.Checkpoint.SaveAsync(LivySessionHandle.Kind, new LivySessionHandle("41", "gone", ["x"], null), Token);
        using var log = new StringWriter();

        var output = (IReadOnlyDictionary<string, object?>)(await Task().ExecuteAsync(bed.Context("report", log), Token))!;

        Assert.Equal("20", output["result"]);
        Assert.Contains("Recorded session 41 is gone", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Created Livy session", log.ToString(), StringComparison.Ordinal);
    }
}
