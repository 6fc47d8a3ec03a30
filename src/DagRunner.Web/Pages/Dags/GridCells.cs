using System.Text;
using System.Text.Encodings.Web;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Components;

namespace DagRunner.Web.Pages.Dags;

/// <summary>
/// One task's row of the grid: a cell per run, in its state's colour and linking to the task instance,
/// written as one piece of HTML for the same reason as <see cref="DagRows"/> (a 25-run grid of 30 tasks
/// is 750 cells of six attributes each). The HTML is what the component wrote, encoded the same way.
/// </summary>
internal static class GridCells
{
    /// <summary>The <c>td</c> cells of <paramref name="taskId"/>'s row of <paramref name="grid"/>.</summary>
    public static MarkupString Html(string dagId, string taskId, GridView grid)
    {
        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder(grid.Runs.Length * 300);
        foreach (var run in grid.Runs)
        {
            if (grid.Cell(run.RunId, taskId) is { } task)
            {
                var state = Show.Snake(task.State.ToString());
                var tries = task.TryNumber > 0 ? $" · try {task.TryNumber}" : "";
                html.Append("<td><a class=\"cell state-").Append(encoder.Encode(state))
                    .Append("\" data-run-id=\"").Append(encoder.Encode(run.RunId))
                    .Append("\" data-task-id=\"").Append(encoder.Encode(taskId))
                    .Append("\" data-state=\"").Append(encoder.Encode(state))
                    .Append("\" href=\"").Append(encoder.Encode(WebRoutes.TaskInstance(dagId, run.RunId, taskId)))
                    .Append("\" title=\"").Append(encoder.Encode($"{taskId} · {state}{tries}{Took(task)}\n{run.RunId}"))
                    .Append("\"></a></td>");
            }
            else
            {
                html.Append("<td><span class=\"cell missing\" title=\"")
                    .Append(encoder.Encode($"{taskId} is not in run {run.RunId}"))
                    .Append("\"></span></td>");
            }
        }

        return new MarkupString(html.ToString());
    }

    private static string Took(TaskInstance task) =>
        RunText.Took(task.StartedAt, task.EndedAt) is { Length: > 0 } took ? " · " + took : "";
}
