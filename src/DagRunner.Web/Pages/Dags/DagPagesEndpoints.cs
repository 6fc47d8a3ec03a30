using System.Globalization;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Dags;

/// <summary>The endpoints of the DAGs page (<c>/dags?tag=&amp;q=</c>), a DAG's grid
/// (<c>/dags/{dag_id}/grid?runs=25</c>) and a run's page (<c>/dags/{dag_id}/runs/{run_id}</c>).</summary>
internal static class DagPagesEndpoints
{
    /// <summary>How many runs a DAG's row shows as marks.</summary>
    public const int RecentRuns = 10;

    /// <summary>How many runs the grid shows unless <c>?runs=</c> says otherwise.</summary>
    public const int GridRuns = 25;

    public static void MapDagPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dags", DagsAsync);
        endpoints.MapGet("/dags/{dagId}/grid", GridAsync);
        endpoints.MapGet("/dags/{dagId}/runs/{runId}", RunAsync);
    }

    private static async Task<IResult> DagsAsync(string? tag, string? q, DagCatalog catalog, RunReadModel runs, TimeProvider time, CancellationToken cancellationToken)
    {
        // The catalog's current load: loaded again only when the folder changed (a directory listing
        // otherwise), not read and hashed file by file on every request.
        var loaded = await catalog.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var overview = await runs.DagsOverviewAsync(loaded, RecentRuns, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return PageResults.Page<DagsPage>(new { Overview = overview, Tag = Blank(tag), Query = Blank(q), catalog.DagsFolder });
    }

    private static async Task<IResult> GridAsync(string dagId, string? runs, DagCatalog catalog, RunReadModel read, CancellationToken cancellationToken)
    {
        var lookup = await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false);
        if (lookup.Dag is not { } dag)
            return NotFound(lookup);
        // A bad or out-of-range ?runs= shows the default rather than an error: the URL came from a person.
        var count = int.TryParse(runs, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked > 0
            ? Math.Min(asked, RunReadModel.MaxGridRuns)
            : GridRuns;
        var grid = await read.GridAsync(dag, count, cancellationToken).ConfigureAwait(false);
        return PageResults.Page<GridPage>(new { Grid = grid, RunCount = count });
    }

    private static async Task<IResult> RunAsync(string dagId, string runId, DagCatalog catalog, RunReadModel read, CancellationToken cancellationToken)
    {
        var lookup = await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false);
        if (lookup.Dag is not { } dag)
            return NotFound(lookup);
        var detail = await read.RunAsync(dag, runId, cancellationToken).ConfigureAwait(false);
        return detail is null
            ? PageResults.NotFound($"DAG '{dagId}' has no run '{runId}'.")
            : PageResults.Page<RunPage>(new { Dag = dag, Detail = detail });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<NotFoundPage> NotFound(DagLookup lookup) => PageResults.NotFound(lookup.Outcome == DagLookupOutcome.HiddenByImportErrors
        ? $"DAG '{lookup.DagId}' was not found; {lookup.FilesWithErrors} DAG file(s) have import errors (see the DAGs page), one may define it."
        : $"DAG '{lookup.DagId}' was not found.");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
