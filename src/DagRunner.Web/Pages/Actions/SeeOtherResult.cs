using Microsoft.AspNetCore.Http;

namespace DagRunner.Web.Pages.Actions;

/// <summary>303 See Other: after a POST that did its work, the browser GETs the page it came from, so a
/// reload does not send the action again.</summary>
internal sealed class SeeOtherResult(string location) : IResult
{
    /// <summary>Where the browser goes.</summary>
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
