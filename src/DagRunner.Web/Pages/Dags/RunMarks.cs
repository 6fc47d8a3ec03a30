using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using DagRunner.Engine.Runs;
using DagRunner.Web.Pages.Shared;

namespace DagRunner.Web.Pages.Dags;

/// <summary>
/// A DAG's latest runs as the DAGs page shows them: a mark per run (oldest on the left), linking to the
/// run, written straight into the row's HTML (<see cref="DagRows"/>). As markup in a component, the page's
/// two thousand marks were eight thousand render frames, each attribute buffered in parts by the renderer;
/// the HTML is the same, encoded the same way.
/// </summary>
internal static class RunMarks
{
    /// <summary>Appends the marks of <paramref name="runs"/> (newest first, as the overview gives them).</summary>
    public static void Append(StringBuilder html, string dagId, ImmutableArray<DagRun> runs)
    {
        var encoder = HtmlEncoder.Default;
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
    }
}
