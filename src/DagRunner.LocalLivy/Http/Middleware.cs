using DagRunner.LocalLivy.Livy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>What runs around every handler: timing, injected faults, Livy's CSRF filter and
/// security headers, retention sweeps, and a last-resort handler that answers 500 the way Livy
/// does instead of dropping the connection.</summary>
internal static class Middleware
{
    public static void Use(WebApplication app, LocalLivyOptions options, Func<LivyFront> front, RequestTimings timings)
    {
        app.Use(async (context, next) =>
        {
            var started = options.TimeProvider.GetTimestamp();
            try
            {
                if (!IsAdmin(context.Request) && await InjectFaultAsync(context, options).ConfigureAwait(false))
                    return;
                started = options.TimeProvider.GetTimestamp();
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
            {
                context.Response.Clear();
                await Answers.JsonString(StatusCodes.Status500InternalServerError, e.GetType().FullName + ": " + e.Message)
                    .ExecuteAsync(context).ConfigureAwait(false);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                timings.Add($"{context.Request.Method} {route}", options.TimeProvider.GetElapsedTime(started));
            }
        });

        app.Use(async (context, next) =>
        {
            if (!IsLivy(context.Request))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var headers = context.Response.Headers;
            headers["X-Frame-Options"] = "SAMEORIGIN";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-XSS-Protection"] = "1; mode=block";
            if (options.CsrfProtection && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) &&
                !HttpMethods.IsOptions(context.Request.Method) && !context.Request.Headers.ContainsKey("X-Requested-By"))
            {
                await Answers.Html(StatusCodes.Status400BadRequest, "Missing Required Header for CSRF protection.").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            if (UnsupportedApiVersion(context.Request) is { } version)
            {
                context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
                await context.Response.WriteAsync($"Unsupported API version: {version}", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            front().SweepIfDue();
            await next(context).ConfigureAwait(false);
        });
    }

    private static bool IsLivy(HttpRequest request) =>
        request.Path.StartsWithSegments("/sessions", StringComparison.Ordinal) || request.Path.StartsWithSegments("/batches", StringComparison.Ordinal);

    // Livy negotiates `Accept: application/vnd.livy.v<version>+json`; 0.1 is the only version.
    private static string? UnsupportedApiVersion(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            foreach (var part in (accept ?? "").Split(','))
            {
                var media = part.Split(';')[0].Trim();
                if (media.StartsWith("application/vnd.livy.v", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                {
                    var version = media["application/vnd.livy.v".Length..^"+json".Length];
                    if (version != "0.1")
                        return version;
                }
            }
        }

        return null;
    }

    private static bool IsAdmin(HttpRequest request) => request.Path.StartsWithSegments("/local-livy", StringComparison.Ordinal);

    private static async Task<bool> InjectFaultAsync(HttpContext context, LocalLivyOptions options)
    {
        var (latency, errorRate) = options.Faults.Current;
        if (latency > TimeSpan.Zero)
            await Task.Delay(latency, options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
        if (options.Faults.RuleStatus(context.Request.Method, context.Request.Path.Value ?? "/") is { } status)
        {
            await Answers.JsonString(status, $"LocalLivy injected a {status} (faults.AnswerRequests)").ExecuteAsync(context).ConfigureAwait(false);
            return true;
        }

        if (errorRate <= 0 || Random.Shared.NextDouble() >= errorRate)
            return false;
        await Answers.JsonString(StatusCodes.Status500InternalServerError, "java.lang.RuntimeException: LocalLivy injected a server error (faults.serverErrorRate)")
            .ExecuteAsync(context).ConfigureAwait(false);
        return true;
    }
}
