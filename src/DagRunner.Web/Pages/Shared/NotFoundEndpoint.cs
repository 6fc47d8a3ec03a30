using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Shared;

/// <summary>Whatever no endpoint serves: a JSON 404 under <c>/api/</c>, the 404 page elsewhere; and <c>/</c> goes to the DAGs.</summary>
internal static class NotFoundEndpoint
{
    public static void MapNotFound(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Redirect(WebRoutes.Dags()));
        endpoints.MapFallback((HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            ? Results.Json(new { error = "Not found." }, statusCode: StatusCodes.Status404NotFound)
            : PageResults.NotFound($"There is no page at {request.Path}."));
    }
}
