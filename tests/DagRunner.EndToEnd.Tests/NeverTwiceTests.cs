using System.Globalization;
using DagRunner.Engine.Runs;
using DagRunner.Storage.Sqlite;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// Two processes asking for the same logical date at once (two backfills of one range, a scheduler and
/// an overlapping backfill, two <c>dags test</c> of one date): every task runs once, counted by a shell
/// task appending a line to a file, and no process reports a failure for a run the store shows succeeded.
/// Task <c>a</c> holds until the test creates <c>go</c>, so the second process really comes while the
/// first one runs.
/// </summary>
public sealed class NeverTwiceTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
    private readonly TempFolder _project = new("dagrunner-never-twice");

    public NeverTwiceTests()
    {
        // Four daily intervals are due: today-4 .. today-1.
        _project.Write("dags/twice.csx", $$"""
            var dag = new Dag("twice") { Schedule = "@daily", Catchup = true, StartDate = DateTimeOffset.Parse("{{Day(-4)}}T00:00:00Z"), MaxActiveRuns = 8 };
            var a = new ShellOperator("a") { Command = "echo {{"{{ ds }}"}} a >> '{{_project["ran.txt"]}}'; while [ ! -f '{{_project["go"]}}' ]; do sleep 0.05; done" };
            var b = new ShellOperator("b") { Command = "echo {{"{{ ds }}"}} b >> '{{_project["ran.txt"]}}'" };
            dag.Add(a);
            dag.Add(b);
            a >> b;
            """);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _project.Dispose();

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string[] Ran() => File.Exists(_project["ran.txt"]) ? File.ReadAllLines(_project["ran.txt"]) : [];

    private void Go() => File.WriteAllText(_project["go"], "");

    [Fact]
    public async Task TwoBackfillsOfOneRange_AtOnce_EachTaskRunsOnce_BothReportSuccess()
    {
        using var first = DagRunnerChild.Start(_project.Path, "dags", "backfill", "twice", "--from", Day(-4), "--to", Day(-2));
        await DagRunnerChild.WaitForAsync(() => Ran().Length == 3, "the first backfill to start task a of its 3 runs");
        using var second = DagRunnerChild.Start(_project.Path, "dags", "backfill", "twice", "--from", Day(-4), "--to", Day(-2));
        // Either the second waits for all three runs (fixed) or it ran task a again (the bug).
        await DagRunnerChild.WaitForAsync(
            () => Ran().Length > 3 || CountOf(second.Error, "is being run by") == 3 || second.HasExited, "the second backfill to meet the first one's runs");
        Go();

        Assert.Equal(0, await first.ExitAsync());
        Assert.Equal(0, await second.ExitAsync());
        Assert.Equal([.. Expected(-4, -3, -2)], Ran().Order());
        foreach (var day in new[] { -4, -3, -2 })
        {
            Assert.Matches($@"backfill__{Day(day)}T00:00:00\+00:00 +│ success", first.Output);
            Assert.Matches($@"backfill__{Day(day)}T00:00:00\+00:00 +│ success", second.Output);
        }
    }

    [Fact]
    public async Task SchedulerAndAnOverlappingBackfill_EachDateRunsOnce()
    {
        using var backfill = DagRunnerChild.Start(_project.Path, "dags", "backfill", "twice", "--from", Day(-4), "--to", Day(-2));
        await DagRunnerChild.WaitForAsync(() => Ran().Length == 3, "the backfill to start task a of its 3 runs");
        using var scheduler = DagRunnerChild.Start(_project.Path, "scheduler", "--loop-seconds", "0.2");
        // The scheduler reaches the one date the backfill does not have (and, before the fix, ran the others again).
        await DagRunnerChild.WaitForAsync(() => Ran().Contains($"{Day(-1)} a") || scheduler.HasExited, "the scheduler to run the last date");
        Go();
        Assert.Equal(0, await backfill.ExitAsync());
        await DagRunnerChild.WaitForAsync(() => Ran().Contains($"{Day(-1)} b") || scheduler.HasExited, "the scheduler's run to end");
        await scheduler.InterruptAsync();

        Assert.Equal([.. Expected(-4, -3, -2, -1)], Ran().Order());
        await using var store = SqliteRunStore.Open(_project[Path.Combine(".dagrunner", "state.db")]);
        var runs = await store.ListRunsAsync("twice", null, Token);
        Assert.Equal(
            [$"backfill__{Day(-4)}T00:00:00+00:00", $"backfill__{Day(-3)}T00:00:00+00:00", $"backfill__{Day(-2)}T00:00:00+00:00", $"scheduled__{Day(-1)}T00:00:00+00:00"],
            runs.Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.All(runs, r => Assert.Equal(DagRunState.Success, r.State));
    }

    [Fact]
    public async Task TwoDagsTestsOfOneDate_AtOnce_TheSecondIsRefused_EachTaskRunsOnce()
    {
        using var first = DagRunnerChild.Start(_project.Path, "dags", "test", "twice", "--date", Day(-2));
        await DagRunnerChild.WaitForAsync(() => Ran().Length == 1, "the first test to start task a");
        using var second = DagRunnerChild.Start(_project.Path, "dags", "test", "twice", "--date", Day(-2));
        await DagRunnerChild.WaitForAsync(() => Ran().Length > 1 || second.HasExited, "the second test to meet the first one's run");
        Go();

        Assert.Equal(0, await first.ExitAsync());
        var refused = await second.ExitAsync();
        Assert.Equal([$"{Day(-2)} a", $"{Day(-2)} b"], Ran().Order());
        Assert.Equal(2, refused);
        Assert.Contains($"Run manual__{Day(-2)}T00:00:00+00:00 of twice is being run by process {first.Id} on ", second.Error, StringComparison.Ordinal);
        Assert.Contains("Run succeeded.", first.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Expected(params int[] days) =>
        days.SelectMany(d => new[] { $"{Day(d)} a", $"{Day(d)} b" }).Order();

    private static int CountOf(string text, string part) =>
        text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
