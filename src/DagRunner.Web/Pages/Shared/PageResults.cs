using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DagRunner.Web.Pages.Shared;

/// <summary>Pages as endpoint results: a Razor component rendered on the server, and the 404 page.</summary>
internal static class PageResults
{
    /// <summary>The component <typeparamref name="TPage"/> with <paramref name="parameters"/> (an anonymous
    /// object whose properties name the component's parameters).</summary>
    public static RazorComponentResult<TPage> Page<TPage>(object? parameters = null)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        parameters is null ? new RazorComponentResult<TPage>() : new RazorComponentResult<TPage>(parameters);

    /// <summary>The 404 page, saying what was not found.</summary>
    public static RazorComponentResult<NotFoundPage> NotFound(string message) =>
        new(new { Message = message }) { StatusCode = StatusCodes.Status404NotFound };
}
