using System.Globalization;
using DagRunner.LocalLivy.Livy;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary><c>/sessions/{id}/statements</c> (reference §1.3, §2.3).</summary>
internal static class StatementEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, Func<LivyFront> front)
    {
        routes.MapGet("/sessions/{id}/statements", (string id, HttpContext context) =>
            SessionEndpoints.WithSession(front(), id, (_, s) => List(s, context.Request)));
        routes.MapPost("/sessions/{id}/statements", async (string id, HttpContext context) =>
        {
            var body = await LivyBodies.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            return SessionEndpoints.WithSession(front(), id, (f, s) => Submit(f, s, body));
        });
        routes.MapGet("/sessions/{id}/statements/{statementId}", (string id, string statementId) =>
            SessionEndpoints.WithSession(front(), id, (_, s) => Get(s, statementId)));
        routes.MapPost("/sessions/{id}/statements/{statementId}/cancel", (string id, string statementId) =>
            SessionEndpoints.WithSession(front(), id, (f, s) => Cancel(f, s, statementId)));
    }

    // Livy's statement routes work only while the REPL runs; the client sees idle, busy or error.
    private static bool Running(LivySession session, out SessionDriver? driver)
    {
        driver = session.Driver;
        return driver is not null && session.State is LivyStates.Idle or LivyStates.Busy or LivyStates.Error;
    }

    private static IResult NotActive() => Answers.Msg(StatusCodes.Status400BadRequest, "requirement failed: Session isn't active.");

    private static IResult WrongState(LivySession session) =>
        Answers.JsonString(StatusCodes.Status500InternalServerError, $"java.lang.IllegalStateException: Session is in state {session.State}");

    private static IResult List(LivySession session, HttpRequest request)
    {
        if (!Running(session, out var driver))
            return NotActive();
        if (!Query.TryInt(request, "from", 0, out var from, out var error) || !Query.TryInt(request, "size", int.MaxValue, out var size, out error))
            return error!;
        var all = driver!.Statements();
        if (string.Equals(request.Query["order"], "desc", StringComparison.OrdinalIgnoreCase))
            all = [.. all.Reverse()];
        return Answers.Json(new StatementListView(all.Count, Query.Page(all, from!.Value, size!.Value)), WireJson.Wire.StatementListView);
    }

    private static IResult Submit(LivyFront front, LivySession session, ReadOnlyMemory<byte>? body)
    {
        if (body is null)
            return Answers.JsonString(StatusCodes.Status413PayloadTooLarge, "Request body too large");
        var fields = RequestFields.Read(body.Value, StatementRequest.JavaClass, StatementRequest.Fields, out var parseError);
        if (fields is null)
            return Answers.JsonString(StatusCodes.Status400BadRequest, parseError!);
        var request = StatementRequest.From(fields);
        if (request.Code is null)
            return Answers.Msg(StatusCodes.Status400BadRequest, "requirement failed: code is required");
        string? kind = null;
        if (request.Kind is not null && (kind = SessionKinds.Normalize(request.Kind)) is null or SessionKinds.Shared)
            return Answers.JsonString(StatusCodes.Status400BadRequest, $"Invalid kind: {request.Kind} (through reference chain: {StatementRequest.JavaClass}[\"kind\"])");
        if (!Running(session, out var driver))
            return WrongState(session);

        var statement = driver!.Submit(request.Code, kind);
        session.LastActivity = front.Cluster.Time.GetUtcNow();
        return Answers.Created(statement.View(), WireJson.Wire.StatementView, $"/sessions/{session.Id}/statements/{statement.Id}");
    }

    private static IResult Get(LivySession session, string statementId)
    {
        if (!Running(session, out var driver))
            return NotActive();
        if (!int.TryParse(statementId, NumberStyles.None, CultureInfo.InvariantCulture, out var sid))
            return Answers.Msg(StatusCodes.Status400BadRequest, $"For input string: \"{statementId}\"");
        return driver!.Find(sid) is { } view
            ? Answers.Json(view, WireJson.Wire.StatementView)
            : Answers.JsonString(StatusCodes.Status404NotFound, "Statement not found");
    }

    private static IResult Cancel(LivyFront front, LivySession session, string statementId)
    {
        if (!Running(session, out var driver))
            return WrongState(session);
        if (!int.TryParse(statementId, NumberStyles.None, CultureInfo.InvariantCulture, out var sid))
            return Answers.Msg(StatusCodes.Status400BadRequest, $"For input string: \"{statementId}\"");
        driver!.Cancel(sid);
        session.LastActivity = front.Cluster.Time.GetUtcNow();
        return Answers.Msg(StatusCodes.Status200OK, "canceled");
    }
}
