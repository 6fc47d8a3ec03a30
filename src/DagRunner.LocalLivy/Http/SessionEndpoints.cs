using System.Globalization;
using DagRunner.LocalLivy.Livy;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>Livy's <c>/sessions</c> routes (reference §1.3), like Livy's <c>InteractiveSessionServlet</c>.</summary>
internal static class SessionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, Func<LivyFront> front)
    {
        routes.MapGet("/sessions", (HttpContext context) => List(front(), context.Request));
        routes.MapPost("/sessions", (Delegate)((HttpContext context) => CreateAsync(front, context)));
        routes.MapGet("/sessions/{id}", (string id) => WithSession(front(), id, (f, s) => Answers.Json(s.View(f.Cluster.Urls), WireJson.Wire.SessionView)));
        routes.MapGet("/sessions/{id}/state", (string id) => WithSession(front(), id, (_, s) => Answers.Json(new StateView(s.Id, s.State), WireJson.Wire.StateView)));
        routes.MapGet("/sessions/{id}/log", (string id, HttpContext context) => WithSession(front(), id, (_, s) => LivyLogs.Page(s, context.Request)));
        routes.MapDelete("/sessions/{id}", async (string id) =>
        {
            var f = front();
            if (f.Sessions.Find(id) is not { } session)
                return Answers.NotFound(id);
            await f.DeleteSessionAsync(session).ConfigureAwait(false);
            return Answers.Msg(StatusCodes.Status200OK, "deleted");
        });
        StatementEndpoints.Map(routes, front);
    }

    /// <summary>Finds the session and counts the request as a heartbeat.</summary>
    public static IResult WithSession(LivyFront front, string id, Func<LivyFront, LivySession, IResult> answer)
    {
        if (front.Sessions.Find(id) is not { } session)
            return Answers.NotFound(id);
        session.LastTouched = front.Cluster.Time.GetUtcNow();
        return answer(front, session);
    }

    private static IResult List(LivyFront front, HttpRequest request)
    {
        if (!Query.TryInt(request, "from", 0, out var from, out var error) || !Query.TryInt(request, "size", 100, out var size, out error))
            return error!;
        var all = front.Sessions.Snapshot();
        var page = Query.Page(all, from!.Value, size!.Value).Select(s => s.View(front.Cluster.Urls)).ToList();
        return Answers.Json(new SessionListView(from.Value, all.Count, page), WireJson.Wire.SessionListView);
    }

    private static async Task<IResult> CreateAsync(Func<LivyFront> current, HttpContext context)
    {
        var front = current();
        var body = await LivyBodies.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
            return Answers.JsonString(StatusCodes.Status413PayloadTooLarge, "Request body too large");
        // Livy accepts an empty body here: every field is optional.
        var fields = body.Value.IsEmpty ? RequestFields.Read("{}"u8.ToArray(), SessionRequest.JavaClass, SessionRequest.Fields, out var parseError)
            : RequestFields.Read(body.Value, SessionRequest.JavaClass, SessionRequest.Fields, out parseError);
        if (fields is null)
            return Answers.JsonString(StatusCodes.Status400BadRequest, parseError!);

        var request = SessionRequest.From(fields);
        var kind = SessionKinds.Normalize(request.Kind ?? SessionKinds.Shared);
        if (kind is null)
            return Answers.JsonString(StatusCodes.Status400BadRequest, $"Invalid kind: {request.Kind} (through reference chain: {SessionRequest.JavaClass}[\"kind\"])");

        var cluster = front.Cluster;
        var id = front.Sessions.ReserveId();
        if (RequestRules.Check(request) is { } refusal)
            return Answers.Rejected(refusal);
        if ((SessionDurations.Parse(request.Ttl).Error ?? SessionDurations.Parse(request.IdleTimeout).Error) is { } durationError)
            return Answers.Rejected(durationError);
        var (files, pathError) = ResolvedFiles.Resolve(cluster.Paths, null, request);
        if (files is null)
            return Answers.Rejected(pathError!);
        if (front.CountStarting() >= cluster.Options.MaxCreation)
            return Answers.TooManyStarting();
        int? dieOnStatement = request.Conf.TryGetValue(LocalLivyOptions.DieOnStatementConfKey, out var die) &&
            int.TryParse(die, NumberStyles.None, CultureInfo.InvariantCulture, out var statementId) ? statementId : null;

        var session = new LivySession(id, request.Name, kind, request, cluster.Options.LogLines, cluster.Time.GetUtcNow());
        if (front.Sessions.TryAdd(session) is not null)
            return Answers.Rejected($"Duplicate session name: Some({request.Name}) for session {id}");
        front.Changed();

        var created = session.View(cluster.Urls);
        session.Runner = front.Supervise(session, () => SessionLauncher.StartAsync(session, files, dieOnStatement, cluster, () => current().Changed()));
        return Answers.Created(created, WireJson.Wire.SessionView, $"/sessions/{id}");
    }
}
