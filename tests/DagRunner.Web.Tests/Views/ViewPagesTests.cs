using System.Net;
using DagRunner.Engine.Execution;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;

namespace DagRunner.Web.Tests.Views;

/// <summary>The graph, durations and code pages over real HTTP, a real SQLite store, DAG files compiled for real.</summary>
public sealed class ViewPagesTests
{
    // extract fans out to ok and broken; ok and broken fan in to load (which never runs: broken fails).
    private const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        var extract = dag.Add(new CSharpOperator("extract", ctx => 42));
        var ok = dag.Add(new CSharpOperator("ok", ctx => { }));
        var broken = dag.Add(new CSharpOperator("broken", ctx => throw new InvalidOperationException("no data")));
        var load = dag.Add(new CSharpOperator("load", ctx => { }));
        extract.Then(ok, broken).Then(load);
        """;

    private const string Report = """
        var dag = new Dag("report") { Params = { ["api_token"] = "tok-5e3ret77", ["table"] = "sales" } };
        var session = dag.Add(new LivySessionOperator("summarize")
        {
            Statements = { Statement.Inline("print({{ ds | lit }}, '{{ params.table }}', '{{ params.api_token }}')") },
        });
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Graph_AfterARun_ShowsANodePerTaskInItsStateAndAnEdgePerDependency()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        var run = await RunAsync(project, Day);

        var (status, page, _) = await PageReader.GetAsync(project.Http, "/dags/etl/graph", Token);
        var (_, picked, _) = await PageReader.GetAsync(project.Http, WebRoutes.Graph("etl", run), Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var nodes = page.QuerySelectorAll("svg.graph g.node[data-task-id]").ToDictionary(n => n.GetAttribute("data-task-id")!, n => n);
        Assert.Equal(["broken", "extract", "load", "ok"], nodes.Keys.Order(StringComparer.Ordinal));
        Assert.True(nodes["extract"].ClassList.Contains("state-success"));
        Assert.True(nodes["ok"].ClassList.Contains("state-success"));
        Assert.True(nodes["broken"].ClassList.Contains("state-failed"));
        Assert.True(nodes["load"].ClassList.Contains("state-upstream_failed"));
        Assert.Equal(WebRoutes.TaskInstance("etl", run, "broken"), nodes["broken"].QuerySelector("a")!.GetAttribute("href"));
        var edges = page.QuerySelectorAll("svg.graph path.edge").Select(e => (e.GetAttribute("data-from"), e.GetAttribute("data-to"))).Order().ToList();
        Assert.Equal([("broken", "load"), ("extract", "broken"), ("extract", "ok"), ("ok", "load")], edges);
        Assert.All(page.QuerySelectorAll("svg.graph path.edge"), e => Assert.StartsWith("M ", e.GetAttribute("d"), StringComparison.Ordinal));
        Assert.Equal(run, page.QuerySelector("select[name=run] option[selected]")!.GetAttribute("value"));
        Assert.Equal(4, picked.QuerySelectorAll("svg.graph g.node.state-success, svg.graph g.node.state-failed, svg.graph g.node.state-upstream_failed").Length);
    }

    [Fact]
    public async Task Graph_WithoutRuns_ShowsTheTasksInStateNone()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);

        var (status, page, _) = await PageReader.GetAsync(project.Http, "/dags/etl/graph", Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, page.QuerySelectorAll("svg.graph g.node.state-none").Length);
        Assert.Empty(page.QuerySelectorAll("svg.graph g.node a"));
    }

    [Theory]
    [InlineData("/dags/nope/graph", "DAG 'nope' was not found.")]
    [InlineData("/dags/nope/durations", "DAG 'nope' was not found.")]
    [InlineData("/dags/nope/code", "DAG 'nope' was not found.")]
    [InlineData("/dags/etl/graph?run=manual__1999-01-01T00:00:00%2B00:00", "DAG 'etl' has no run 'manual__1999-01-01T00:00:00+00:00'.")]
    public async Task Views_AnUnknownDagOrRun_AnswerThe404PageNamingIt(string url, string message)
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);

        var (status, page, _) = await PageReader.GetAsync(project.Http, url, Token);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(message, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durations_ThreeRunsOneFailed_OneBarPerRunOldestFirstAndALinePerTask()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, Token);
        string[] runs = [await RunAsync(project, Day), await RunAsync(project, Day.AddDays(1)), await RunAsync(project, Day.AddDays(2))];

        var (status, page, _) = await PageReader.GetAsync(project.Http, "/dags/etl/durations", Token);
        var (_, two, _) = await PageReader.GetAsync(project.Http, "/dags/etl/durations?runs=2", Token);
        var (_, bad, _) = await PageReader.GetAsync(project.Http, "/dags/etl/durations?runs=lots", Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var bars = page.QuerySelectorAll("svg.durations-chart rect.run-bar").ToList();
        Assert.Equal(runs, bars.Select(b => b.GetAttribute("data-run-id")));
        Assert.All(bars, b => Assert.True(b.ClassList.Contains("state-failed"), "each run failed (broken fails)"));
        Assert.All(bars, b => Assert.Contains(b.GetAttribute("data-run-id")!, b.QuerySelector("title")!.TextContent, StringComparison.Ordinal));
        Assert.True(bars.Select(b => double.Parse(b.GetAttribute("x")!, System.Globalization.CultureInfo.InvariantCulture)).Order().SequenceEqual(bars.Select(b => double.Parse(b.GetAttribute("x")!, System.Globalization.CultureInfo.InvariantCulture))));
        var lines = page.QuerySelectorAll("svg.durations-chart g.task-line").Select(g => g.GetAttribute("data-task-id")).ToList();
        Assert.Equal(["extract", "ok", "broken", "load"], lines);
        Assert.Equal(3, page.QuerySelectorAll("svg.durations-chart g.task-line[data-task-id=extract] circle").Length);
        Assert.Empty(page.QuerySelectorAll("svg.durations-chart g.task-line[data-task-id=load] circle")); // never started
        Assert.NotEmpty(page.QuerySelectorAll("svg.durations-chart text.tick"));
        Assert.Equal(runs[1..], two.QuerySelectorAll("svg.durations-chart rect.run-bar").Select(b => b.GetAttribute("data-run-id")));
        Assert.Contains("runs=lots is not a number", bad.QuerySelector(".form-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, bad.QuerySelectorAll("svg.durations-chart rect.run-bar").Length);
    }

    [Fact]
    public async Task Code_ForADate_ShowsTheSourceAndEachStatementRenderedWithTheSecretMasked()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["report.csx"] = Report }, Token);

        var (status, page, html) = await PageReader.GetAsync(project.Http, "/dags/report/code?date=2026-11-20", Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var source = page.QuerySelector("pre.source")!;
        Assert.Contains("var dag = new Dag(\"report\")", source.TextContent, StringComparison.Ordinal);
        Assert.Equal(Report.Split('\n').Length, source.QuerySelectorAll(".line").Length);
        Assert.Equal("1", source.QuerySelector(".line .ln")!.TextContent);
        var preview = page.QuerySelector("section.previews [data-task-id=summarize]")!;
        var statement = preview.QuerySelector(".statement pre")!.TextContent;
        Assert.Contains("'2026-11-20'", statement, StringComparison.Ordinal);
        Assert.Contains("'sales'", statement, StringComparison.Ordinal);
        Assert.Contains("***", statement, StringComparison.Ordinal);
        Assert.Contains("01_inline", preview.QuerySelector(".statement")!.GetAttribute("data-file-name"), StringComparison.Ordinal);
        Assert.DoesNotContain("tok-5e3ret77", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_ADagThatLoadsAFile_ShowsBothFilesWithTheSecretMasked()
    {
        var files = new Dictionary<string, string>
        {
            ["_shared.csx"] = "static readonly string Table = \"sales\";\n",
            ["loads.csx"] = "#load \"_shared.csx\"\nvar dag = new Dag(\"loads\") { Params = { [\"password\"] = \"pw-4ll0y\" } };\ndag.Add(new CSharpOperator(\"t\", ctx => { }));\n",
        };
        await using var project = await WebProject.StartAsync(files, Token);

        var (status, page, html) = await PageReader.GetAsync(project.Http, "/dags/loads/code", Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["loads.csx", "_shared.csx"], page.QuerySelectorAll("article.source-file").Select(a => a.GetAttribute("data-file")));
        Assert.Contains("static readonly string Table", page.QuerySelectorAll("pre.source")[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("[\"password\"] = \"***\"", page.QuerySelectorAll("pre.source")[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-4ll0y", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_WithoutADate_RendersForTodayAndABadDateSaysWhatIsWrong()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["report.csx"] = Report }, Token);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var (_, page, _) = await PageReader.GetAsync(project.Http, "/dags/report/code", Token);
        var (status, bad, _) = await PageReader.GetAsync(project.Http, "/dags/report/code?date=2026-13-45", Token);

        Assert.Equal(today, page.QuerySelector("input[name=date]")!.GetAttribute("value"));
        Assert.Contains($"'{today}'", page.QuerySelector("section.previews .statement pre")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'2026-13-45' is not a date", bad.QuerySelector("section.previews .form-error")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(bad.QuerySelectorAll("section.previews .statement"));
        Assert.NotNull(bad.QuerySelector("pre.source"));
    }

    private static async Task<string> RunAsync(WebProject project, DateTimeOffset day)
    {
        var dag = (await project.Service<DagCatalog>().FindAsync("etl", Token)).Dag!;
        var result = await project.Service<RunLauncher>().TestAsync(dag, RunInput.Request(day, null, TimeProvider.System), new DagRunObserver(), Token);
        return result.RunId;
    }
}
