using System.Net;
using System.Text.Json.Serialization.Metadata;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Http;

/// <summary>Answers in the shapes the real servers use, including their inconsistent error bodies
/// (reference §1.2): <c>{"msg": ...}</c>, a bare JSON string, or a Jetty HTML page.</summary>
internal static class Answers
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        Results.Json(value, type, statusCode: status);

    public static IResult Created<T>(T value, JsonTypeInfo<T> type, string location) =>
        new CreatedAnswer<T>(value, type, location);

    /// <summary><c>{"msg": ...}</c>, Livy's usual error body.</summary>
    public static IResult Msg(int status, string message) => Json(new MessageView(message), WireJson.Wire.MessageView, status);

    /// <summary>Livy's 404 for an unknown session or batch id or name ("Session" for batches too).</summary>
    public static IResult NotFound(string id) => Msg(StatusCodes.Status404NotFound, $"Session '{id}' not found.");

    /// <summary>Livy's 400 for a create refused by a rule (<c>Rejected, Reason: ...</c>).</summary>
    public static IResult Rejected(string reason) => Msg(StatusCodes.Status400BadRequest, "Rejected, Reason: " + reason);

    /// <summary>Livy's 400 when too many sessions and batches are starting at once.</summary>
    public static IResult TooManyStarting() => Msg(StatusCodes.Status400BadRequest, "Rejected, too many sessions are being created!");

    /// <summary>A bare JSON string, as Livy renders a Scala string body.</summary>
    public static IResult JsonString(int status, string message) => Json(message, WireJson.Wire.String, status);

    /// <summary>Jetty's HTML error page, which Livy's filters (CSRF, access) answer with.</summary>
    public static IResult Html(int status, string message)
    {
        var text = WebUtility.HtmlEncode(message);
        var reason = WebUtility.HtmlEncode(ReasonPhrase(status));
        var page = $"""
            <html>
            <head>
            <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
            <title>Error {status} {text}</title>
            </head>
            <body><h2>HTTP ERROR {status}</h2>
            <p>Problem accessing. Reason:
            <pre>    {text}</pre></p><hr><i><small>Powered by Jetty:// (LocalLivy, {reason})</small></i><hr/>
            </body>
            </html>
            """;
        return Results.Content(page, "text/html; charset=iso-8859-1", statusCode: status);
    }

    public static IResult Text(int status, string text) => Results.Text(text, "text/plain; charset=utf-8", statusCode: status);

    /// <summary>The ResourceManager's and WebHDFS's error body.</summary>
    public static IResult RemoteException(int status, string exception, string message, string javaClassName) =>
        Json(new RemoteExceptionEnvelope(new RemoteExceptionView(exception, message, javaClassName)), WireJson.Wire.RemoteExceptionEnvelope, status);

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private sealed class CreatedAnswer<T>(T value, JsonTypeInfo<T> type, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Json(value, type, statusCode: StatusCodes.Status201Created).ExecuteAsync(httpContext);
        }
    }
}
