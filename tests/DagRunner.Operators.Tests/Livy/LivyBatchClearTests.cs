using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Livy;

/// <summary>A batch task cleared by hand (<see cref="RunEditor"/>) while its batch still runs in LocalLivy, with the
/// real executor on a SQLite store: refused while the runner that follows it is alive; once that runner is
/// gone, cleared, and the next try follows the running batch: the job is never submitted twice.</summary>
public sealed class LivyBatchClearTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private sealed class Lines : DagRunObserver
    {
        public LineSignal Log { get; } = new();

        public override void TaskLog(string taskId, string line) => Log.WriteLine(line);
    }

    [Fact]
    public async Task ClearedWhileItsBatchRuns_RefusedWhileTheRunnerLives_ThenTheNextTryFollowsTheBatch_OnePost()
    {
        await using var bed = await LivyTestbed.StartAsync();
        var go = Path.Combine(bed.Jobs.Path, "go");
        bed.Jobs.Write("wait.py", $"import os, time\nwhile not os.path.exists(r'{go}'):\n    time.sleep(0.05)\nprint('finished')\n");
        var task = new LivyBatchOperator("aggregate") { File = "local:///wait.py", VerifyIn = VerifyIn.Yarn | VerifyIn.Spark, PollInterval = TimeSpan.FromMilliseconds(100) };
        var dag = new DagDefinition
        {
            DagId = "d",
            File = "d.csx",
            Tasks = [new TaskDefinition { TaskId = "aggregate", Operator = nameof(LivyBatchOperator), Policy = new TaskPolicy(), Instance = task }],
        };
        await using var engine = new TestEngine(services: bed);
        var editor = new RunEditor(engine.Store, engine.Options, engine.Time);
        var run = await engine.Store.CreateRunAsync(new DagRun
        {
            DagId = "d", RunId = DagRun.IdFor(RunType.Manual, Day), LogicalDate = Day, DataIntervalStart = Day, DataIntervalEnd = Day.AddDays(1), QueuedAt = Day,
        }, ["aggregate"], Token);
        var first = new Lines();
        using var stop = new CancellationTokenSource();

        // The first runner follows the batch; it stops (as a killed or stopped runner does) and leaves the batch running.
        var following = engine.Executor.RunAsync(dag, run, first, Token, stop.Token);
        await first.Log.WaitForAsync(": app application_", Token);
        var refused = await editor.ClearTasksAsync(dag, run.RunId, ["aggregate"], downstream: false, Token);
        await stop.CancelAsync();
        var left = await following;
        var cleared = await editor.ClearTasksAsync(dag, run.RunId, ["aggregate"], downstream: false, Token);
        var second = new Lines();
        var again = engine.Executor.RunAsync(dag, cleared.Run!, second, Token);
        await second.Log.WaitForAsync("following it instead of submitting again", Token);
        bed.Jobs.Write("go", "");
        var final = await again;

        Assert.Equal(RunEditOutcome.Refused, refused.Outcome);
        Assert.StartsWith("Task 'aggregate' of run manual__2026-11-20T00:00:00+00:00 is running in process ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DagRunState.Running, left.State);
        Assert.Equal(RunEditOutcome.Done, cleared.Outcome);
        Assert.True(final.State == DagRunState.Success, second.Log.ToString());
        Assert.Contains("An earlier try submitted batch", second.Log.ToString(), StringComparison.Ordinal);
        var aggregate = Assert.Single(await engine.Store.TaskInstancesAsync("d", run.RunId, Token));
        Assert.Equal((TaskState.Success, 2), (aggregate.State, aggregate.TryNumber));
        Assert.Equal(1, bed.Server.RequestTimings()["POST /batches"].Count);
    }
}
