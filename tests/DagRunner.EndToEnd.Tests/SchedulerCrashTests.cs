using System.Diagnostics;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.LocalLivy;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>The scheduler killed with SIGKILL while 20 Livy batches run, and started again: it follows the
/// same batches to the end instead of submitting them again.</summary>
public sealed class SchedulerCrashTests : IDisposable
{
    private const int Batches = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempFolder _project = new("dagrunner-crash");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _project.Dispose();

    // The DAG and its job, and a LocalLivy that outlives the schedulers (as a cluster does).
    private async Task<LocalLivyServer> StartProjectAsync()
    {
        _project.Write("dags/crash.csx", $$$"""
            var dag = new Dag("crash") { Schedule = "@once", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveTasks = {{{Batches}}} };
            for (var i = 0; i < {{{Batches}}}; i++)
                dag.Add(new LivyBatchOperator($"batch_{i:00}") { File = "local:///jobs/slow.py", Args = { "{{ task_id }}" }, PollInterval = TimeSpan.FromMilliseconds(200), VerifyIn = VerifyIn.Yarn });
            """);
        // Long enough to outlive the first scheduler, short enough for the suite.
        _project.Write("templates/jobs/slow.py", "import sys, time\ntime.sleep(6)\nprint('done', sys.argv[1])\n");
        return await LocalLivyServer.StartAsync(new LocalLivyOptions { Port = 0, JobsRoot = _project["templates"] }, Token);
    }

    [Fact]
    public async Task KilledWhileBatchesRun_RestartFollowsThemToTheEnd_EachSubmittedOnce()
    {
        await using var livy = await StartProjectAsync();
        await using var proxy = new RecordingProxy(livy.BaseUrl);
        var home = _project["home"];

        using (var first = StartScheduler(proxy.BaseUrl, livy.BaseUrl, home))
        {
            // Killed once every batch is submitted and its handle recorded: what a crash mid-run leaves.
            await WaitForAsync(() => Handles(home) >= Batches, first);
            first.Kill();
            await first.WaitForExitAsync(Token);
        }

        await FinishAndCheckAsync(proxy, livy, home);
    }

    [Fact]
    public async Task StoppedWithCtrlC_LeavesBatchesRunning_RestartFollowsThem()
    {
        await using var livy = await StartProjectAsync();
        await using var proxy = new RecordingProxy(livy.BaseUrl);
        var home = _project["home"];

        using (var first = StartScheduler(proxy.BaseUrl, livy.BaseUrl, home))
        {
            await WaitForAsync(() => Handles(home) >= Batches, first);
            await InterruptAsync(first);
            Assert.Equal(0, first.ExitCode);
        }

        Assert.DoesNotContain(proxy.Requests, r => r.Method == "DELETE");
        Assert.Equal(DagRunState.Running, RunState(home));
        await FinishAndCheckAsync(proxy, livy, home);
    }

    private async Task FinishAndCheckAsync(RecordingProxy proxy, LocalLivyServer livy, string home)
    {
        using var second = StartScheduler(proxy.BaseUrl, livy.BaseUrl, home);
        await WaitForAsync(() => RunState(home) is DagRunState.Success or DagRunState.Failed, second);
        await InterruptAsync(second);

        Assert.Equal(DagRunState.Success, RunState(home));
        Assert.Equal(Batches, proxy.Requests.Count(r => r.Method == "POST" && r.Path == "/batches"));
        await using var store = SqliteRunStore.Open(Path.Combine(home, "state.db"));
        var run = (await store.ListRunsAsync("crash", null, Token)).Single();
        var tasks = await store.TaskInstancesAsync("crash", run.RunId, Token);
        Assert.Equal(Batches, tasks.Count);
        Assert.All(tasks, t => Assert.Equal((TaskState.Success, 1), (t.State, t.TryNumber)));
        var events = await store.EventsAsync("crash", run.RunId, Token);
        Assert.All(tasks, t => Assert.Single(events, e => e.TaskId == t.TaskId && e.To == "queued"));
        Assert.Equal(Batches, events.Count(e => e.TaskId is not null && e.From == "running" && e.To == "running"));
    }

    private static async Task InterruptAsync(Process scheduler)
    {
        using (var stop = Process.Start("kill", ["-INT", scheduler.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await stop.WaitForExitAsync(Token);
        await scheduler.WaitForExitAsync(Token);
    }

    private Process StartScheduler(Uri livyProxy, Uri cluster, string home) =>
        SchedulerProcess.Start(_project.Path, home, new Dictionary<string, string>
        {
            ["DAGRUNNER_CONN_LIVY_DEFAULT"] = livyProxy.ToString(),
            ["DAGRUNNER_CONN_YARN_DEFAULT"] = cluster.ToString(),
            ["DAGRUNNER_CONN_SPARK_DEFAULT"] = cluster.ToString(),
        });

    private static Task WaitForAsync(Func<bool> condition, Process scheduler) => SchedulerProcess.WaitForAsync(condition, scheduler, Patience);

    private static int Handles(string home) => SchedulerProcess.Query(home, "SELECT COUNT(*) FROM remote_handle", r => r.GetInt32(0));

    private static DagRunState? RunState(string home) =>
        SchedulerProcess.Query(home, "SELECT state FROM dag_run WHERE dag_id = 'crash'", r => (DagRunState?)Enum.Parse<DagRunState>(r.GetString(0), ignoreCase: true));
}
