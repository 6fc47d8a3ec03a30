using System.Text.RegularExpressions;
using AngleSharp.Dom;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Storage;
using DagRunner.Hosting.Dags;

namespace DagRunner.Web.Tests;

/// <summary>The DAGs page, the grid and the run page over real HTTP, a real SQLite store and DAG files compiled for real.</summary>
public sealed class DagPagesTests
{
    private const string Etl = """
        var dag = new Dag("etl") { Description = "Loads the ledger", Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Tags = { "finance", "daily" } };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var transform = dag.Add(new CSharpOperator("transform", ctx => { }));
        var load = dag.Add(new CSharpOperator("load", ctx => { }));
        extract >> transform >> load;
        """;

    private const string Report = """
        var dag = new Dag("weekly_report") { Schedule = "30 6 * * 1", TimeZone = "Europe/Paris", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Tags = { "reports" } };
        dag.Add(new CSharpOperator("mail", ctx => { }));
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Dictionary<string, TaskState> States(TaskState extract, TaskState transform, TaskState load) =>
        new() { ["extract"] = extract, ["transform"] = transform, ["load"] = load };

    [Fact]
    public async Task Dags_TwoDags_ListsEachWithTagsScheduleInWordsPausedStateAndRecentRunsLinked()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl, ["report.csx"] = Report }, Token);
        var store = project.Service<IRunStore>();
        var failed = await StoreSeed.RunAsync(store, "etl", Day, DagRunState.Failed, "{}", States(TaskState.Success, TaskState.Failed, TaskState.UpstreamFailed), Token);
        var succeeded = await StoreSeed.RunAsync(store, "etl", Day.AddDays(1), DagRunState.Success, "{}", States(TaskState.Success, TaskState.Success, TaskState.Success), Token);
        await project.Service<DagCatalog>().SetPausedAsync((await project.Service<DagCatalog>().FindAsync("etl", Token)).Dag!, paused: true, Token);

        var (status, page) = await HtmlPage.GetAsync(project.Http, "/dags", Token);

        Assert.Equal(200, status);
        Assert.Equal(["etl", "weekly_report"], page.QuerySelectorAll("tr[data-dag-id]").Select(r => r.GetAttribute("data-dag-id")));
        var etl = page.QuerySelector("tr[data-dag-id='etl']")!;
        var report = page.QuerySelector("tr[data-dag-id='weekly_report']")!;
        Assert.Equal(("true", "false"), (etl.GetAttribute("data-paused"), report.GetAttribute("data-paused")));
        Assert.Equal(["finance", "daily"], etl.QuerySelectorAll(".tag-chip").Select(t => t.TextContent));
        Assert.Equal("/dags?tag=finance", etl.QuerySelector(".tag-chip")!.GetAttribute("href"));
        Assert.Equal("every day at 00:00 UTC", etl.QuerySelector(".schedule-words")!.TextContent);
        Assert.Equal("Mondays at 06:30 (Europe/Paris)", report.QuerySelector(".schedule-words")!.TextContent);
        Assert.Contains("Loads the ledger", etl.TextContent, StringComparison.Ordinal);
        // Oldest on the left, as in the grid; each mark links to its run.
        var marks = etl.QuerySelectorAll(".recent-runs a").ToList();
        Assert.Equal(["failed", "success"], marks.Select(a => a.QuerySelector(".mark")!.GetAttribute("data-state")));
        Assert.Equal([WebRoutes.Run("etl", failed.RunId), WebRoutes.Run("etl", succeeded.RunId)], marks.Select(a => a.GetAttribute("href")));
        Assert.Empty(report.QuerySelectorAll(".recent-runs .mark"));
        Assert.Empty(page.QuerySelectorAll(".import-error"));
    }

    [Theory]
    [InlineData("/dags?tag=reports", new[] { "weekly_report" })]
    [InlineData("/dags?q=LEDGER", new[] { "etl" })]
    [InlineData("/dags?q=report", new[] { "weekly_report" })]
    [InlineData("/dags?tag=finance&q=weekly", new string[0])]
    [InlineData("/dags?q=", new[] { "etl", "weekly_report" })]
    public async Task Dags_FilteredByTagOrText_ListsOnlyTheDagsThatMatch(string url, string[] expected)
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl, ["report.csx"] = Report }, Token);

        var (_, page) = await HtmlPage.GetAsync(project.Http, url, Token);

        Assert.Equal(expected, page.QuerySelectorAll("tr[data-dag-id]").Select(r => r.GetAttribute("data-dag-id")));
        Assert.NotNull(page.QuerySelector("form.dag-filter input[name='q']"));
    }

    [Fact]
    public async Task Dags_ABrokenFile_ShowsItsImportErrorAtFileLineColumnWithTheSourceLineAndACaret()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl, ["broken.csx"] = "// a DAG being written\nvar x = ;" }, Token);

        var (_, page) = await HtmlPage.GetAsync(project.Http, "/dags", Token);

        var error = Assert.Single(page.QuerySelectorAll(".import-error"));
        Assert.Matches(new Regex(@"^broken\.csx:2:\d+: CS\d{4}: "), error.QuerySelector(".location")!.TextContent);
        var excerpt = error.QuerySelector("pre.excerpt")!.TextContent.Split('\n');
        Assert.Equal("    2 | var x = ;", excerpt[0]);
        Assert.Matches(new Regex(@"^\s+\| +\^$"), excerpt[1]);
        Assert.NotNull(page.QuerySelector("tr[data-dag-id='etl']"));
    }

    [Fact]
    public async Task Grid_Runs_ShowsEachTaskInstanceByStateLinkedInDependencyOrderAndEachRunsConfMaskedOnHover()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var store = project.Service<IRunStore>();
        var first = await StoreSeed.RunAsync(store, "etl", Day, DagRunState.Failed, """{"password": "hunter2", "limit": 5}""", States(TaskState.Success, TaskState.Failed, TaskState.UpstreamFailed), Token);
        var second = await StoreSeed.RunAsync(store, "etl", Day.AddDays(1), DagRunState.Running, "{}", States(TaskState.Success, TaskState.Running, TaskState.None), Token);

        var (status, page) = await HtmlPage.GetAsync(project.Http, WebRoutes.Grid("etl"), Token);
        var (_, narrowed) = await HtmlPage.GetAsync(project.Http, WebRoutes.Grid("etl") + "?runs=1", Token);

        Assert.Equal(200, status);
        Assert.Equal([first.RunId, second.RunId], page.QuerySelectorAll("th[data-run-id]").Select(h => h.GetAttribute("data-run-id")));
        Assert.Equal(["extract", "transform", "load"], page.QuerySelectorAll("tr[data-task-row]").Select(r => r.GetAttribute("data-task-row")));
        Assert.Equal(
            ["state-success", "state-failed", "state-upstream_failed", "state-success", "state-running", "state-none"],
            new[] { first, second }.SelectMany(run => new[] { "extract", "transform", "load" }.Select(task => Cell(page, run.RunId, task)))
                .Select(c => c.ClassList.Single(k => k.StartsWith("state-", StringComparison.Ordinal))));
        Assert.Equal(WebRoutes.TaskInstance("etl", first.RunId, "transform"), Cell(page, first.RunId, "transform").GetAttribute("href"));
        var title = page.QuerySelector($"th[data-run-id='{first.RunId}']")!.GetAttribute("title")!;
        Assert.Contains("data interval: 2026-11-20 00:00:00 to 2026-11-21 00:00:00 UTC", title, StringComparison.Ordinal);
        Assert.Contains("\"limit\": 5", title, StringComparison.Ordinal);
        Assert.Contains("***", title, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", page.Source.Text, StringComparison.Ordinal);
        Assert.Equal(WebRoutes.Trigger("etl"), page.QuerySelector("[data-action='trigger']")!.GetAttribute("href"));
        Assert.Equal([second.RunId], narrowed.QuerySelectorAll("th[data-run-id]").Select(h => h.GetAttribute("data-run-id")));
    }

    [Fact]
    public async Task Run_ARun_ShowsItsStateDatesConfMaskedAndItsTasksWithStatesAndLinks()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var run = await StoreSeed.RunAsync(project.Service<IRunStore>(), "etl", Day, DagRunState.Failed, """{"api_token": "s3cr3t-value", "limit": 5}""", States(TaskState.Success, TaskState.Failed, TaskState.UpstreamFailed), Token);

        var (status, page) = await HtmlPage.GetAsync(project.Http, WebRoutes.Run("etl", run.RunId), Token);

        Assert.Equal(200, status);
        Assert.Equal("failed", page.QuerySelector("[data-run-state]")!.GetAttribute("data-run-state"));
        Assert.Contains(run.RunId, page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("scheduled", page.QuerySelector(".run-type")!.TextContent);
        Assert.Equal("2026-11-20 00:00:00 to 2026-11-21 00:00:00 UTC", page.QuerySelector(".data-interval")!.TextContent);
        var conf = page.QuerySelector("pre.conf")!.TextContent;
        Assert.Contains("\"limit\": 5", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", page.Source.Text, StringComparison.Ordinal);
        var rows = page.QuerySelectorAll("tr[data-task-id]").ToList();
        Assert.Equal(["extract", "transform", "load"], rows.Select(r => r.GetAttribute("data-task-id")));
        Assert.Equal(["success", "failed", "upstream_failed"], rows.Select(r => r.QuerySelector(".badge")!.GetAttribute("data-state")));
        Assert.Equal(WebRoutes.TaskInstance("etl", run.RunId, "transform"), rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("1 min 30 s", rows[1].QuerySelectorAll("td")[^1].TextContent);
    }

    [Theory]
    [InlineData("/dags/nope/grid", "DAG 'nope' was not found.")]
    [InlineData("/dags/nope/runs/manual__x", "DAG 'nope' was not found.")]
    [InlineData("/dags/etl/runs/manual__2026-01-01T00:00:00+00:00", "DAG 'etl' has no run 'manual__2026-01-01T00:00:00+00:00'.")]
    public async Task Pages_AnUnknownDagOrRun_Answer404SayingWhatWasNotFound(string url, string message)
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);

        var (status, page) = await HtmlPage.GetAsync(project.Http, url, Token);

        Assert.Equal(404, status);
        Assert.Equal(message, page.QuerySelector(".not-found p")!.TextContent);
    }

    private static IElement Cell(AngleSharp.Html.Dom.IHtmlDocument page, string runId, string taskId) =>
        page.QuerySelectorAll("a.cell").Single(c => c.GetAttribute("data-run-id") == runId && c.GetAttribute("data-task-id") == taskId);
}
