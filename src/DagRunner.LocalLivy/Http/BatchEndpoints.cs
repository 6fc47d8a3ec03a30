using DagRunner.LocalLivy.Livy;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>Livy's <c>/batches</c> routes (reference §1.4), like Livy's <c>BatchSessionServlet</c>.</summary>
internal static class BatchEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, Func<LivyFront> front)
    {
        routes.MapGet("/batches", (HttpContext context) => List(front(), context.Request));
        routes.MapPost("/batches", (Delegate)((HttpContext context) => CreateAsync(front, context)));
        routes.MapGet("/batches/{id}", (string id) => WithBatch(front(), id, (f, b) => Answers.Json(b.View(f.Cluster.Urls), WireJson.Wire.BatchView)));
        routes.MapGet("/batches/{id}/state", (string id) => WithBatch(front(), id, (_, b) => Answers.Json(new StateView(b.Id, b.State), WireJson.Wire.StateView)));
        routes.MapGet("/batches/{id}/log", (string id, HttpContext context) => WithBatch(front(), id, (_, b) => LivyLogs.Page(b, context.Request)));
        routes.MapDelete("/batches/{id}", async (string id) =>
        {
            var f = front();
            if (f.Batches.Find(id) is not { } batch)
                return Answers.NotFound(id);
            await f.DeleteBatchAsync(batch).ConfigureAwait(false);
            return Answers.Msg(StatusCodes.Status200OK, "deleted");
        });
    }

    private static IResult WithBatch(LivyFront front, string id, Func<LivyFront, LivyBatch, IResult> answer)
    {
        if (front.Batches.Find(id) is not { } batch)
            return Answers.NotFound(id);
        batch.LastTouched = front.Cluster.Time.GetUtcNow();
        return answer(front, batch);
    }

    private static IResult List(LivyFront front, HttpRequest request)
    {
        if (!Query.TryInt(request, "from", 0, out var from, out var error) || !Query.TryInt(request, "size", 100, out var size, out error))
            return error!;
        var all = front.Batches.Snapshot();
        var page = Query.Page(all, from!.Value, size!.Value).Select(b => b.View(front.Cluster.Urls)).ToList();
        return Answers.Json(new BatchListView(from.Value, all.Count, page), WireJson.Wire.BatchListView);
    }

    // `current` rather than the front of the moment: a batch that ends after a restart reports to
    // the front in charge then, or it would write an old picture into the recovery store.
    private static async Task<IResult> CreateAsync(Func<LivyFront> current, HttpContext context)
    {
        var front = current();
        var body = await LivyBodies.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
            return Answers.JsonString(StatusCodes.Status413PayloadTooLarge, "Request body too large");
        var fields = RequestFields.Read(body.Value, BatchRequest.JavaClass, BatchRequest.Fields, out var parseError);
        if (fields is null)
            return Answers.JsonString(StatusCodes.Status400BadRequest, parseError!);

        var request = BatchRequest.From(fields);
        var cluster = front.Cluster;
        var id = front.Batches.ReserveId();
        if (string.IsNullOrEmpty(request.File))
            return Answers.Rejected("requirement failed: File is required.");
        if (RequestRules.Check(request) is { } refusal)
            return Answers.Rejected(refusal);
        var (files, pathError) = ResolvedFiles.Resolve(cluster.Paths, request.File, request);
        if (files is null)
            return Answers.Rejected(pathError!);
        if (front.CountStarting() >= cluster.Options.MaxCreation)
            return Answers.TooManyStarting();

        var batch = new LivyBatch(id, request.Name, request, RequestRules.Tag("batch", id), cluster.Options.LogLines, cluster.Time.GetUtcNow());
        if (front.Batches.TryAdd(batch) is not null)
            return Answers.Rejected($"Duplicate session name: Some({request.Name}) for session {id}");
        front.Changed();

        var created = batch.View(cluster.Urls);
        batch.Runner = front.Supervise(batch, () => BatchRunner.RunAsync(batch, files, cluster, () => current().Changed()));
        return Answers.Created(created, WireJson.Wire.BatchView, $"/batches/{id}");
    }
}
