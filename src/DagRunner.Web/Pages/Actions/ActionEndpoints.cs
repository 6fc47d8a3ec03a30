using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Actions;

/// <summary>The endpoints of the actions: trigger, clear, mark, pause.</summary>
internal static class ActionEndpoints
{
    public static void MapActions(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints; // filled in by the pages of this area
    }
}
