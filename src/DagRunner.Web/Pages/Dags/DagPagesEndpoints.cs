using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Dags;

/// <summary>The endpoints of the DAGs page, grid, graph, durations and code.</summary>
internal static class DagPagesEndpoints
{
    public static void MapDagPages(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints; // filled in by the pages of this area
    }
}
