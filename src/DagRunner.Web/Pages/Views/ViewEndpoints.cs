using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Views;

/// <summary>The endpoints of a DAG's graph, durations and code pages.</summary>
internal static class ViewEndpoints
{
    public static void MapDagViews(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints; // filled in by the pages of this area
    }
}
