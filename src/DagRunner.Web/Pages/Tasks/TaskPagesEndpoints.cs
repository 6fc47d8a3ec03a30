using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Tasks;

/// <summary>The endpoints of the task instance page and its live log.</summary>
internal static class TaskPagesEndpoints
{
    public static void MapTaskPages(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints; // filled in by the pages of this area
    }
}
