using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using DagRunner.Engine.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Components;

namespace DagRunner.Web.Pages.Dags;

/// <summary>
/// A DAG's latest runs as the DAGs page shows them: a mark per run (oldest on the left), linking to the
/// run, written as one piece of HTML. As markup in the row's component, the page's two thousand marks
/// were eight thousand render frames, each attribute buffered in parts by the renderer, and the UI
/// process's peak memory about 10 MB higher (bench/DagRunner.Bench.Web); the HTML is the same, encoded
/// the same way.
/// </summary>
internal static class RunMarks
{
    /// <summary>The marks of <paramref name="runs"/> (newest first, as the overview gives them).</summary>
    public static MarkupString Html(string dagId, ImmutableArray<DagRun> runs)
    {
        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder(runs.Length * 160);
        for (var i = runs.Length - 1; i >= 0; i--)
        {
            var run = runs[i];
            var state = Show.Snake(run.State.ToString());
            html.Append("<a href=\"").Append(encoder.Encode(WebRoutes.Run(dagId, run.RunId)))
                .Append("\"><span class=\"mark state-").Append(encoder.Encode(state))
                .Append("\" data-state=\"").Append(encoder.Encode(state))
                .Append("\" title=\"").Append(encoder.Encode($"{run.RunId}: {state}"))
                .Append("\"></span></a>");
        }

        return new MarkupString(html.ToString());
    }
}
