using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Components;

namespace DagRunner.Web.Pages.Dags;

/// <summary>
/// One DAG on the DAGs page: pause toggle (a button of the page's shared form) and trigger link, id and
/// description, tags, schedule and its meaning, next run, latest runs as marks, task count; written as one
/// piece of HTML, as <see cref="RunMarks"/> and <see cref="GridCells"/> are. As a component per row (and one
/// for its actions), two hundred rows were most of the page's allocations and of the UI's peak memory; the
/// row holds no form state of its own (the token is in the shared form), so nothing needs a component.
/// </summary>
internal static class DagRows
{
    /// <summary>The <c>tr</c> of <paramref name="summary"/>; <paramref name="activeTag"/> is the page's tag filter.</summary>
    public static MarkupString Html(DagSummary summary, string pauseFormId, string? activeTag)
    {
        var e = HtmlEncoder.Default;
        var dag = summary.Dag;
        var html = new StringBuilder(2048);
        html.Append("<tr data-dag-id=\"").Append(e.Encode(dag.DagId))
            .Append("\" data-paused=\"").Append(summary.Paused ? "true" : "false").Append('"')
            .Append(summary.Paused ? " class=\"paused\">" : ">");

        var (action, label, title) = summary.Paused
            ? ("unpause", "Unpause", "The scheduler creates and starts its runs again")
            : ("pause", "Pause", "The scheduler creates and starts no new runs of it");
        html.Append("<td class=\"toggle\"><span class=\"dag-actions\"><button type=\"submit\" form=\"").Append(e.Encode(pauseFormId))
            .Append("\" formaction=\"").Append(e.Encode(WebRoutes.Pause(dag.DagId, !summary.Paused)))
            .Append("\" data-action=\"").Append(action).Append("\" title=\"").Append(e.Encode(title)).Append("\">").Append(label).Append("</button>")
            .Append("<a class=\"button\" data-action=\"trigger\" href=\"").Append(e.Encode(WebRoutes.Trigger(dag.DagId))).Append("\">Trigger</a></span>");
        if (summary.Paused)
            html.Append("<span class=\"paused-label\">paused</span>");
        html.Append("</td>");

        html.Append("<td class=\"dag\"><a class=\"dag-id\" href=\"").Append(e.Encode(WebRoutes.Grid(dag.DagId))).Append("\">").Append(e.Encode(dag.DagId)).Append("</a>");
        if (dag.Description is { Length: > 0 } description)
            html.Append("<div class=\"muted description\">").Append(e.Encode(description)).Append("</div>");
        html.Append("</td>");

        html.Append("<td class=\"tags\">");
        foreach (var tag in dag.Tags)
        {
            html.Append("<a class=\"tag-chip").Append(tag == activeTag ? " active" : "").Append("\" data-tag=\"").Append(e.Encode(tag))
                .Append("\" href=\"").Append(e.Encode(WebRoutes.Dags(tag))).Append("\">").Append(e.Encode(tag)).Append("</a>");
        }

        html.Append("</td>");
        html.Append("<td class=\"schedule\"><code>").Append(e.Encode(dag.Schedule ?? "None")).Append("</code><div class=\"schedule-words\">")
            .Append(e.Encode(summary.ScheduleWords)).Append("</div></td>");
        html.Append("<td class=\"next-run\">").Append(e.Encode(Show.Time(summary.NextRun))).Append("</td>");
        html.Append("<td class=\"recent-runs\">");
        RunMarks.Append(html, dag.DagId, summary.RecentRuns);
        html.Append("</td>");
        html.Append("<td class=\"num\">").Append(dag.Tasks.Length.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        return new MarkupString(html.ToString());
    }
}
