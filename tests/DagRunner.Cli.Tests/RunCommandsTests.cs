namespace DagRunner.Cli.Tests;

/// <summary>The commands that create and inspect runs, on the project's SQLite run store.</summary>
public sealed class RunCommandsTests
{
    private const string Dag = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MaxActiveRuns = 2 };
        var extract = dag.Add(new CSharpOperator("extract", ctx => { ctx.Log.WriteLine($"extract {ctx.Ds}"); return 42; }));
        var flaky = dag.Add(new CSharpOperator("flaky", ctx =>
        {
            if (ctx.TryNumber < 3) throw new TaskFailedException($"not yet ({ctx.TryNumber})");
            ctx.Log.WriteLine($"worked after {ctx.TryNumber} tries with {ctx.Output<int>("extract")}");
        }) { Retries = 2, RetryDelay = TimeSpan.Zero });
        extract >> flaky;
        """;

    private static CliRun Project()
    {
        var cli = new CliRun();
        cli.Dag("etl.csx", Dag);
        return cli;
    }

    [Fact]
    public async Task DagsTest_FailingTaskWithRetries_ShowsEachAttempt()
    {
        using var cli = Project();

        var result = await cli.RunAsync("dags", "test", "etl", "--date", "2026-11-20");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("up_for_retry flaky: attempt 1 failed: not yet (1); attempt 2 at", result.Output, StringComparison.Ordinal);
        Assert.Contains("up_for_retry flaky: attempt 2 failed: not yet (2); attempt 3 at", result.Output, StringComparison.Ordinal);
        Assert.Contains("flaky | worked after 3 tries with 42", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ flaky +│ success +│ [0-9.]+ s +│ 3 ", result.Output);
    }

    [Fact]
    public async Task DagsTest_InATerminal_ShowsALiveTableInsteadOfLogLines()
    {
        using var cli = Project();
        cli.Terminal = true;

        var result = await cli.RunAsync("dags", "test", "etl", "--date", "2026-11-20");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("Last line", result.Output, StringComparison.Ordinal);
        Assert.Contains("worked after 3 tries with 42", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("flaky | ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_KeepsEachAttemptWithTheFieldsItRanWith()
    {
        using var cli = new CliRun();
        cli.Dag("shell.csx", """
            var dag = new Dag("shell") { Params = { ["db_password"] = "hunter2-secret" } };
            dag.Add(new ShellOperator("echo") { Command = "echo {{ ds }} {{ params.db_password | string.size }}" });
            """);

        var run = await cli.RunAsync("dags", "test", "shell", "--date", "2026-11-20");
        var state = await cli.RunAsync("dags", "state", "shell", "--json");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var json = System.Text.Json.JsonDocument.Parse(state.Output);
        var attempt = json.RootElement.GetProperty("tasks")[0].GetProperty("attempts")[0];
        Assert.Equal("success", attempt.GetProperty("state").GetString());
        Assert.Equal("echo 2026-11-20 14", attempt.GetProperty("rendered").GetProperty("fields").GetProperty("Command").GetString());
        Assert.DoesNotContain("hunter2", state.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trigger_ThenState_ShowsTheQueuedRun()
    {
        using var cli = Project();

        var trigger = await cli.RunAsync("dags", "trigger", "etl", "--date", "2026-11-05", "--conf", """{"table": "sales"}""");
        var again = await cli.RunAsync("dags", "trigger", "etl", "--date", "2026-11-05");
        var state = await cli.RunAsync("dags", "state", "etl", "--json");

        Assert.Equal(0, trigger.ExitCode);
        Assert.Contains("Queued run manual__2026-11-05T00:00:00+00:00 of etl", trigger.Output, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already has run manual__2026-11-05T00:00:00+00:00 (queued)", again.Error, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(state.Output);
        Assert.Equal("queued", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(["none", "none"], json.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Backfill_RunsEveryDailyIntervalOfTheRange()
    {
        using var cli = Project();

        var result = await cli.RunAsync("dags", "backfill", "etl", "--from", "2026-11-02", "--to", "2026-11-04");
        var state = await cli.RunAsync("dags", "state", "etl", "--date", "2026-11-03");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("3 interval(s), at most 2 at a time", result.Output, StringComparison.Ordinal);
        foreach (var day in new[] { "02", "03", "04" })
            Assert.Matches($@"backfill__2026-11-{day}T00:00:00\+00:00 +│ success", result.Output);
        Assert.Contains("backfill__2026-11-03T00:00:00+00:00 of etl: success (logical date 2026-11-03 00:00, interval to 2026-11-04 00:00 UTC)", state.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduler_AnotherOneRunningOnTheSameHome_IsRefused()
    {
        using var cli = Project();
        using var held = DagRunner.Hosting.Scheduling.SchedulerLock.TryTake(cli.Root[".dagrunner"]);

        var result = await cli.RunAsync("scheduler");

        Assert.NotNull(held);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("another scheduler is running", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduler_InATerminal_ShowsRunsInALiveTable_StopsOnTheFirstSignal()
    {
        using var cli = new CliRun { Terminal = true };
        cli.Dag("once.csx", """
            var dag = new Dag("once") { Schedule = "@once", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
            dag.Add(new CSharpOperator("t", ctx => ctx.Log.WriteLine("ran")));
            """);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var scheduler = cli.RunAsync(stop.Token, "scheduler", "--loop-seconds", "0.2");
        // Waits on the scheduler's progress, read from its store, then stops it as a first Ctrl+C does.
        var path = cli.Root[Path.Combine(".dagrunner", "state.db")];
        while (!File.Exists(path) || !await EndedAsync(path))
        {
            Assert.False(scheduler.IsCompleted, "The scheduler stopped on its own.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        var result = await scheduler;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("scheduled__2026-11-01T00", result.Output, StringComparison.Ordinal);
        Assert.Contains("Scheduler stopped; running work is left for the next start.", result.Output, StringComparison.Ordinal);
    }

    private static async Task<bool> EndedAsync(string path)
    {
        await using var store = DagRunner.Storage.Sqlite.SqliteRunStore.Open(path);
        return (await store.ListRunsAsync("once", null, TestContext.Current.CancellationToken)).Any(r => r.State == Engine.Runs.DagRunState.Success);
    }

    [Fact]
    public async Task PauseAndUnpause_AreRecorded()
    {
        using var cli = Project();

        var pause = await cli.RunAsync("dags", "pause", "etl");
        var unpause = await cli.RunAsync("dags", "unpause", "etl");

        Assert.Equal("DAG 'etl' is paused.", pause.Output.Trim());
        Assert.Equal("DAG 'etl' is unpaused.", unpause.Output.Trim());
    }

    [Fact]
    public async Task TasksTest_RunsOneTaskIgnoringItsUpstream()
    {
        using var cli = Project();

        var result = await cli.RunAsync("tasks", "test", "etl", "extract", "--date", "2026-11-20");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("extract | extract 2026-11-20", result.Output, StringComparison.Ordinal);
        Assert.Contains("Task extract: success after 1 attempt(s)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("flaky", result.Output, StringComparison.Ordinal);
    }
}
