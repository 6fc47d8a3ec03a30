using DagRunner.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Web.Pages.Shared;

/// <summary>
/// A request that fails in the server answers 500 with a page (JSON under <c>/api/</c>) saying what
/// failed in one masked sentence: never a stack trace, never an empty body, never a secret that an
/// exception's message quoted.
/// </summary>
internal static class ServerErrors
{
    public static void UseServerErrors(this WebApplication web) =>
        web.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var secrets = context.RequestServices.GetRequiredService<SecretMasker>();
                var message = secrets.Mask($"The server could not answer {context.Request.Path}: {error?.GetType().Name}: {error?.Message}")!;
                IResult answer = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                    ? Results.Json(new { error = message }, statusCode: StatusCodes.Status500InternalServerError)
                    : new RazorComponentResult<ServerErrorPage>(new { Message = message }) { StatusCode = StatusCodes.Status500InternalServerError };
                await answer.ExecuteAsync(context).ConfigureAwait(false);
            },
        });
}
