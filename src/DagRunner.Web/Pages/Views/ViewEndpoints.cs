using System.Globalization;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Views;

/// <summary>The endpoints of a DAG's graph, durations and code pages.</summary>
internal static class ViewEndpoints
{
    /// <summary>How many recent runs the graph's run picker offers.</summary>
    private const int PickerRuns = 25;

    /// <summary>How many runs the durations chart shows by default, and at most.</summary>
    private const int DefaultChartRuns = 25;
    private const int MaxChartRuns = 500;

    public static void MapDagViews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dags/{dagId}/graph", GraphAsync);
        endpoints.MapGet("/dags/{dagId}/durations", DurationsAsync);
        endpoints.MapGet("/dags/{dagId}/code", CodeAsync);
    }

    private static async Task<IResult> GraphAsync(string dagId, string? run, DagCatalog catalog, RunReadModel runs, CancellationToken cancellationToken)
    {
        if ((await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false)).Dag is not { } dag)
            return PageResults.NotFound($"DAG '{dagId}' was not found.");
        var runId = string.IsNullOrEmpty(run) ? null : run;
        var states = await runs.RunStatesAsync(dag.DagId, runId, PickerRuns, cancellationToken).ConfigureAwait(false);
        if (runId is not null && states.Run is null)
            return PageResults.NotFound($"DAG '{dag.DagId}' has no run '{runId}'.");
        return PageResults.Page<GraphPage>(new { Dag = dag, States = states });
    }

    private static async Task<IResult> DurationsAsync(string dagId, string? runs, DagCatalog catalog, RunReadModel readModel, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false)).Dag is not { } dag)
            return PageResults.NotFound($"DAG '{dagId}' was not found.");
        string? notice = null;
        var count = DefaultChartRuns;
        if (!string.IsNullOrEmpty(runs))
        {
            if (int.TryParse(runs, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked is >= 1 and <= MaxChartRuns)
                count = asked;
            else
                notice = $"runs={runs} is not a number from 1 to {MaxChartRuns}; showing the last {DefaultChartRuns} runs.";
        }

        var times = await readModel.RunTimesAsync(dag.DagId, count, cancellationToken).ConfigureAwait(false);
        return PageResults.Page<DurationsPage>(new { Dag = dag, Runs = times, Now = time.GetUtcNow(), Count = count, Notice = notice });
    }

    private static async Task<IResult> CodeAsync(string dagId, string? date, DagCatalog catalog, DagSourceReader sources, TaskRenderer renderer, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false)).Dag is not { } dag)
            return PageResults.NotFound($"DAG '{dagId}' was not found.");
        var files = await sources.ReadAsync(dag, cancellationToken).ConfigureAwait(false);
        var today = time.GetUtcNow().UtcDateTime.Date;
        DateTimeOffset logicalDate = new(today, TimeSpan.Zero);
        if (!string.IsNullOrEmpty(date) && !RunInput.TryParseDate(date, out logicalDate))
        {
            var error = $"'{date}' is not a date: give the logical date as YYYY-MM-DD (e.g. {Show.Day(new DateTimeOffset(today, TimeSpan.Zero))}) or an ISO 8601 date-time.";
            return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<CodePage>(new { Dag = dag, Files = files, Date = date, DateError = error, Renders = new Dictionary<string, TaskRender>() })
            {
                StatusCode = StatusCodes.Status400BadRequest,
            };
        }

        // The previews render the task objects: the file runs now when the UI read its DAGs from a snapshot.
        dag = await catalog.WithTaskObjectsAsync(dag, cancellationToken).ConfigureAwait(false);

        // The same request `tasks render --date` builds: nothing runs, secrets come back masked.
        var request = RunInput.Request(logicalDate, null, time);
        var renders = dag.Tasks.ToDictionary(t => t.TaskId, t => renderer.Render(dag, t, request, cancellationToken), StringComparer.Ordinal);
        return PageResults.Page<CodePage>(new { Dag = dag, Files = files, Date = date ?? Show.Day(logicalDate), RunId = request.RunId, Renders = renders });
    }
}
