using System.Text.Json;
using DagRunner.Storage.Sqlite;

namespace DagRunner.Cli.Tests;

/// <summary><c>tasks clear</c>, <c>tasks mark</c> and <c>dags mark</c> on the project's SQLite run store: the
/// engine's rules as the web UI applies them, a refusal or an unknown id is exit 2 saying why.</summary>
public sealed class RunEditCommandsTests
{
    private const string Dag = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var load = dag.Add(new CSharpOperator("load", ctx => { if (ctx.TryNumber < 2) throw new TaskFailedException("not yet"); }) { Retries = 1, RetryDelay = TimeSpan.Zero });
        var report = dag.Add(new CSharpOperator("report", ctx => { }));
        extract >> load;
        """;

    private static CliRun Project()
    {
        var cli = new CliRun();
        cli.Dag("etl.csx", Dag);
        return cli;
    }

    private static async Task<Dictionary<string, (string State, int Try)>> StatesAsync(CliRun cli)
    {
        var state = await cli.RunAsync("dags", "state", "etl", "--json");
        using var json = JsonDocument.Parse(state.Output);
        return json.RootElement.GetProperty("tasks").EnumerateArray()
            .ToDictionary(t => t.GetProperty("task_id").GetString()!, t => (t.GetProperty("state").GetString()!, t.GetProperty("try_number").GetInt32()));
    }

    [Fact]
    public async Task ClearThenMark_TheLatestRun_EachChangeShownByDagsState()
    {
        using var cli = Project();
        var test = await cli.RunAsync("dags", "test", "etl", "--date", "2026-11-20");
        Assert.True(test.ExitCode == 0, test.Output + test.Error);

        var clear = await cli.RunAsync("tasks", "clear", "etl", "extract", "--downstream");
        var cleared = await StatesAsync(cli);
        var mark = await cli.RunAsync("tasks", "mark", "etl", "load", "--state", "failed", "--date", "2026-11-20");
        var marked = await StatesAsync(cli);
        var markRun = await cli.RunAsync("dags", "mark", "etl", "--state", "success");
        var state = await cli.RunAsync("dags", "state", "etl", "--json");

        Assert.True(clear.ExitCode == 0, clear.Error);
        Assert.StartsWith("Cleared extract, load in run manual__2026-11-20T00:00:00+00:00 of etl; the run is queued. Test runs are run by `dags test`", clear.Output, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, (string, int)> { ["extract"] = ("none", 1), ["load"] = ("none", 2), ["report"] = ("success", 1) }, cleared);
        Assert.True(mark.ExitCode == 0, mark.Error);
        Assert.Equal(("failed", 2), marked["load"]);
        Assert.True(markRun.ExitCode == 0, markRun.Error);
        Assert.Equal("Marked run manual__2026-11-20T00:00:00+00:00 of etl success (extract success).", markRun.Output.Trim());
        using var json = JsonDocument.Parse(state.Output);
        Assert.Equal("success", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Refusals_NoRun_UnknownTask_BadState_ALiveRunner_AreExit2SayingWhy()
    {
        using var cli = Project();
        var noRuns = await cli.RunAsync("dags", "mark", "etl", "--state", "success");
        await cli.RunAsync("dags", "trigger", "etl", "--date", "2026-11-05");
        var noDate = await cli.RunAsync("tasks", "clear", "etl", "extract", "--date", "2026-11-06");
        var noTask = await cli.RunAsync("tasks", "mark", "etl", "nope", "--state", "success");
        var badState = await cli.RunAsync("dags", "mark", "etl", "--state", "done");
        await using (var store = SqliteRunStore.Open(cli.Root[Path.Combine(".dagrunner", "state.db")]))
        {
            var now = DateTimeOffset.UtcNow;
            Assert.True((await store.ClaimRunAsync("etl", "manual__2026-11-05T00:00:00+00:00", "another-host:4242:1:abcdef12", now, now.AddMinutes(-1), null, TestContext.Current.CancellationToken)).Held);
        }

        var held = await cli.RunAsync("dags", "mark", "etl", "--state", "failed");

        Assert.Equal((2, "error: DAG 'etl' has no runs."), (noRuns.ExitCode, noRuns.Error.Trim()));
        Assert.Equal((2, "error: DAG 'etl' has no run of logical date 2026-11-06T00:00:00Z."), (noDate.ExitCode, noDate.Error.Trim()));
        Assert.Equal((2, "error: Run manual__2026-11-05T00:00:00+00:00 of etl has no task 'nope'. Its tasks: extract, load, report."), (noTask.ExitCode, noTask.Error.Trim()));
        Assert.Equal(2, badState.ExitCode);
        Assert.Contains("done", badState.Error, StringComparison.Ordinal);
        Assert.Equal(2, held.ExitCode);
        Assert.Matches(@"^error: Run manual__2026-11-05T00:00:00\+00:00 of etl is being run by process 4242 on another-host \(last heartbeat .* UTC\), .*: wait for it to end or stop that runner\.$", held.Error.Trim());
        Assert.All((await StatesAsync(cli)).Values, s => Assert.Equal("none", s.State));
    }
}
