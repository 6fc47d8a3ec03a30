using AngleSharp.Html.Parser;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Dags;

namespace DagRunner.Web.Tests;

/// <summary>The DAGs page's rows are written as HTML by hand: every value is encoded, so what a DAG file
/// names (an id, a description, a tag, a run id) reads back as it was written and never becomes markup.</summary>
public sealed class DagRowsTests
{
    private const string Hostile = "\"><script>alert('x')</script>&amp;";

    [Fact]
    public void ValuesFromTheDagFile_ReadBackAsWritten_AndAreNeverMarkup()
    {
        var dag = new DagDefinition { DagId = "etl", File = "/dags/etl.csx", Description = Hostile, Tags = ["a\"b", "team"], Schedule = "@daily" };
        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var run = new DagRun
        {
            DagId = "etl", RunId = "manual__" + Hostile, State = DagRunState.Failed,
            LogicalDate = day, DataIntervalStart = day, DataIntervalEnd = day.AddDays(1), QueuedAt = day,
        };
        var summary = new DagSummary(dag, Paused: true, "every day at 00:00 UTC", null, [run]);

        var html = DagRows.Html(summary, "pause-form", activeTag: "team").Value;
        var row = new HtmlParser().ParseDocument($"<table><tbody>{html}</tbody></table>").QuerySelector("tr")!;

        Assert.Empty(row.QuerySelectorAll("script"));
        Assert.Equal("etl", row.GetAttribute("data-dag-id"));
        Assert.Equal("true", row.GetAttribute("data-paused"));
        Assert.Equal(Hostile, row.QuerySelector(".description")!.TextContent);
        Assert.Equal(["a\"b", "team"], row.QuerySelectorAll(".tag-chip").Select(a => a.GetAttribute("data-tag")));
        Assert.Equal("tag-chip active", row.QuerySelector(".tag-chip[data-tag=team]")!.GetAttribute("class"));
        var button = row.QuerySelector("button[data-action=unpause]")!;
        Assert.Equal(("pause-form", "/dags/etl/unpause"), (button.GetAttribute("form"), button.GetAttribute("formaction")));
        Assert.Equal("/dags/etl/trigger", row.QuerySelector("a[data-action=trigger]")!.GetAttribute("href"));
        Assert.Equal("paused", row.QuerySelector(".paused-label")!.TextContent);
        var mark = row.QuerySelector(".recent-runs span.mark")!;
        Assert.Equal(("failed", $"manual__{Hostile}: failed"), (mark.GetAttribute("data-state"), mark.GetAttribute("title")));
        Assert.Equal(WebRoutes.Run("etl", run.RunId), mark.ParentElement!.GetAttribute("href"));
    }

    [Fact]
    public void AnActiveDag_ItsToggleButtonPausesIt()
    {
        var dag = new DagDefinition { DagId = "report", File = "/dags/report.csx" };

        var html = DagRows.Html(new DagSummary(dag, Paused: false, "never", null, []), "pause-form", activeTag: null).Value;
        var row = new HtmlParser().ParseDocument($"<table><tbody>{html}</tbody></table>").QuerySelector("tr")!;

        var button = row.QuerySelector("button[data-action=pause]")!;
        Assert.Equal(("pause-form", "/dags/report/pause", "Pause"), (button.GetAttribute("form"), button.GetAttribute("formaction"), button.TextContent));
        Assert.Equal("false", row.GetAttribute("data-paused"));
        Assert.Null(row.GetAttribute("class"));
        Assert.Null(row.QuerySelector(".paused-label"));
        Assert.Empty(row.QuerySelectorAll(".recent-runs a"));
    }
}
