using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// A runner killed (SIGKILL) in the middle of a run leaves it <c>running</c> in the store, claimed by a
/// process that is gone. The next runner takes it over at once and continues it: an attempt with a
/// remote job is followed (SchedulerCrashTests shows that with 20 Livy batches), one without is failed
/// clearly as cut off, and nothing is started twice.
/// </summary>
public sealed class TakeoverTests : IDisposable
{
    private const string Date = "2026-11-20";
    private const string RunId = "manual__2026-11-20T00:00:00+00:00";
    private readonly TempFolder _project = new("dagrunner-takeover");

    public TakeoverTests()
    {
        _project.Write("dags/left.csx", $$"""
            var dag = new Dag("left");
            var a = new ShellOperator("a") { Command = "echo a >> '{{_project["ran.txt"]}}'; while [ ! -f '{{_project["go"]}}' ]; do sleep 0.05; done" };
            var b = new ShellOperator("b") { Command = "echo b >> '{{_project["ran.txt"]}}'" };
            dag.Add(a);
            dag.Add(b);
            a >> b;
            """);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        // Lets a shell the killed runner left behind end.
        File.WriteAllText(_project["go"], "");
        _project.Dispose();
    }

    private string[] Ran() => File.Exists(_project["ran.txt"]) ? File.ReadAllLines(_project["ran.txt"]) : [];

    [Fact]
    public async Task DagsTest_PreviousTestRunLeftRunningByAKilledProcess_IsContinuedAndFailedClearly_NotRunAgain()
    {
        int killed;
        using (var first = DagRunnerChild.Start(_project.Path, "dags", "test", "left", "--date", Date))
        {
            await DagRunnerChild.WaitForAsync(() => Ran().Length == 1, "task a to start");
            killed = first.Id;
            await first.KillAsync();
        }

        File.WriteAllText(_project["go"], "");
        var (exit, output, _) = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "left", "--date", Date);

        Assert.Equal(1, exit);
        Assert.Contains($"Continued run {RunId}, left running by process {killed} on ", output, StringComparison.Ordinal);
        Assert.Equal(["a"], Ran());
        await using var store = SqliteRunStore.Open(_project[Path.Combine(".dagrunner", "state.db")]);
        Assert.Equal(DagRunState.Failed, (await store.FindRunAsync("left", RunId, Token))!.State);
        var tasks = (await store.TaskInstancesAsync("left", RunId, Token)).ToDictionary(t => t.TaskId);
        Assert.Equal((TaskState.Failed, 1), (tasks["a"].State, tasks["a"].TryNumber));
        Assert.Contains("the runner stopped during this attempt", tasks["a"].Error, StringComparison.Ordinal);
        Assert.Equal(TaskState.UpstreamFailed, tasks["b"].State);
        Assert.Contains(await store.EventsAsync("left", RunId, Token), e => e.Message?.Contains("(its process is gone)", StringComparison.Ordinal) == true);

        // Tested again, it is a fresh run.
        var again = await DagRunnerProcess.RunAsync(_project.Path, "dags", "test", "left", "--date", Date);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(["a", "a", "b"], Ran());
    }
}
