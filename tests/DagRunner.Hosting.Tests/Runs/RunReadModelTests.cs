using DagRunner.Engine.Execution;
using DagRunner.Hosting.Runs;
using DagRunner.Operators.Livy.Batch;
using DagRunner.Operators.Livy.Session;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Engine.Storage;
using DagRunner.Sdk;
using DagRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Hosting.Tests.Runs;

/// <summary>The read model of <c>dags state</c> on a real SQLite run store.</summary>
public sealed class RunReadModelTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FindRun_DagWithoutRuns_SaysItHasNone()
    {
        await using var engine = new TestEngine(new FakeTimeProvider(RunDags.Day));
        var model = new RunReadModel(engine.Store, new StoredCheckpoints(engine.Store), new SecretMasker());

        var result = await model.FindRunAsync("etl", null, Token);

        Assert.Null(result.View);
        Assert.False(result.DagHasRuns);
    }

    [Fact]
    public async Task FindRun_OtherDate_SaysTheDagHasRunsButNotThatOne()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        await engine.Runner.RunAsync(RunDags.Daily(), RunInput.Request(RunDags.Day, null, time), new DagRunObserver(), Token);

        var result = await new RunReadModel(engine.Store, new StoredCheckpoints(engine.Store), new SecretMasker()).FindRunAsync("etl", RunDags.Day.AddDays(-1), Token);

        Assert.Null(result.View);
        Assert.True(result.DagHasRuns);
    }

    [Fact]
    public async Task FindRun_AfterATest_ReturnsTasksInStartOrderWithAttemptsAndRemoteHandles()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        var conf = RunInput.TryParseConf("""{"db_password": "hunter2-secret"}""", out var parsed, out _) ? parsed : null;
        var test = await engine.Runner.RunAsync(RunDags.Daily(), RunInput.Request(RunDags.Day, conf, time), new DagRunObserver(), Token);
        var checkpoints = new StoredCheckpoints(engine.Store);
        await checkpoints.For("etl", test.RunId, "load", 1).SaveAsync(LivyBatchHandle.Kind, new LivyBatchHandle("7", "etl.load", "tag", "application_1_0007", null, null), Token);
        var secrets = new SecretMasker();

        var view = (await new RunReadModel(engine.Store, checkpoints, secrets).FindRunAsync("etl", null, Token)).View;

        Assert.NotNull(view);
        Assert.Equal(test.RunId, view.Run.RunId);
        Assert.Equal(["extract", "load"], view.Tasks.Select(t => t.Task.TaskId));
        Assert.All(view.Tasks, t => Assert.Equal(TaskState.Success, Assert.Single(t.Attempts).State));
        Assert.Equal(["-", "batch 7 app application_1_0007"], view.Tasks.Select(t => t.RemoteSummary));
        Assert.IsType<LivyBatchHandle>(view.Tasks[1].Remote);
        // The run's secret conf entry is hidden from whatever shows the records.
        Assert.Equal("pw ***", secrets.Mask("pw hunter2-secret"));
        Assert.DoesNotContain("hunter2-secret", view.Run.Conf, StringComparison.Ordinal);
        Assert.Contains("db_password", view.Run.Conf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActiveRuns_AQueuedRunAndAFinishedOne_ListsTheQueuedOneWithItsTasksCounted()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        var dag = RunDags.Daily();
        await engine.Runner.RunAsync(dag, RunInput.Request(RunDags.Day, null, time), new DagRunObserver(), Token);
        var queued = await IntervalRuns.CreateAsync(engine.Store, dag, new DataInterval(RunDags.Day.AddDays(-1), RunDags.Day), RunType.Scheduled, time.GetUtcNow(), Token);

        var active = await new RunReadModel(engine.Store, new StoredCheckpoints(engine.Store), new SecretMasker()).ActiveRunsAsync(Token);

        var view = Assert.Single(active);
        Assert.Equal(queued.RunId, view.Run.RunId);
        Assert.Equal((0, 0, 0, 2), (view.Done, view.Running, view.Failed, view.Total));
    }

    [Fact]
    public async Task FindRun_SessionHandle_DescribesItself()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        var test = await engine.Runner.RunAsync(RunDags.Daily(), RunInput.Request(RunDags.Day, null, time), new DagRunObserver(), Token);
        var checkpoints = new StoredCheckpoints(engine.Store);
        await checkpoints.For("etl", test.RunId, "extract", 1).SaveAsync(LivySessionHandle.Kind, new LivySessionHandle("3", "etl.extract", ["1", null], null), Token);

        var view = (await new RunReadModel(engine.Store, checkpoints, new SecretMasker()).FindRunAsync("etl", null, Token)).View;

        Assert.NotNull(view);
        Assert.Equal(["session 3, 2 statement(s) done", "-"], view.Tasks.Select(t => t.RemoteSummary));
    }

    [Fact]
    public async Task RecentRuns_ARunWithASecretConf_ComeWithTheSecretHidden()
    {
        var time = new FakeTimeProvider(RunDags.Day);
        await using var engine = new TestEngine(time);
        var conf = RunInput.TryParseConf("""{"api_token": "tok-0123456789"}""", out var parsed, out _) ? parsed : null;
        await engine.Runner.RunAsync(RunDags.Daily(), RunInput.Request(RunDags.Day, conf, time), new DagRunObserver(), Token);

        var runs = await new RunReadModel(engine.Store, new StoredCheckpoints(engine.Store), new SecretMasker()).RecentRunsAsync("etl", 10, Token);

        var run = Assert.Single(runs);
        Assert.DoesNotContain("tok-0123456789", run.Conf, StringComparison.Ordinal);
        Assert.Contains("api_token", run.Conf, StringComparison.Ordinal);
    }
}
