using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Sdk;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RunChanges = DagRunner.Hosting.Runs.RunActions;

namespace DagRunner.Web.Pages.Actions;

/// <summary>
/// The endpoints of the actions: pause and unpause, trigger (GET the form, POST it), clear a task instance
/// (with its downstream), mark a task instance or a run. Each goes through the same Hosting code as the CLI
/// (<see cref="DagCatalog"/>, <see cref="RunLauncher"/>, <see cref="RunChanges"/>), so none bypasses the
/// store's rules. Every POST binds its form, which makes ASP.NET Core check the anti-forgery token first
/// (a POST without it is a 400). Done: 303 back to the form's <c>returnUrl</c> (a local path only) or the
/// grid; refused by the rules: 409 with the reason in <c>.error-box</c>; an unknown id: the 404 page.
/// </summary>
internal static class ActionEndpoints
{
    public static void MapActions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/dags/{dagId}/pause", (string dagId, IFormCollection form, DagCatalog catalog, CancellationToken cancellationToken) =>
            PauseAsync(dagId, pause: true, form, catalog, cancellationToken));
        endpoints.MapPost("/dags/{dagId}/unpause", (string dagId, IFormCollection form, DagCatalog catalog, CancellationToken cancellationToken) =>
            PauseAsync(dagId, pause: false, form, catalog, cancellationToken));
        endpoints.MapGet("/dags/{dagId}/trigger", TriggerFormAsync);
        endpoints.MapPost("/dags/{dagId}/trigger", TriggerAsync);
        endpoints.MapPost("/dags/{dagId}/runs/{runId}/tasks/{taskId}/clear", ClearAsync);
        endpoints.MapPost("/dags/{dagId}/runs/{runId}/tasks/{taskId}/mark", MarkTaskAsync);
        endpoints.MapPost("/dags/{dagId}/runs/{runId}/mark", MarkRunAsync);
    }

    private static async Task<IResult> PauseAsync(string dagId, bool pause, IFormCollection form, DagCatalog catalog, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is not { } dag)
            return DagNotFound(dagId);
        await catalog.SetPausedAsync(dag, pause, cancellationToken).ConfigureAwait(false);
        return Back(form, WebRoutes.Grid(dag.DagId));
    }

    private static async Task<IResult> TriggerFormAsync(string dagId, string? returnUrl, DagCatalog catalog, CancellationToken cancellationToken) =>
        await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is { } dag
            ? PageResults.Page<TriggerPage>(new { DagId = dag.DagId, ReturnUrl = LocalOrNull(returnUrl) })
            : DagNotFound(dagId);

    private static async Task<IResult> TriggerAsync(string dagId, IFormCollection form, DagCatalog catalog, RunLauncher launcher, SecretMasker secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is not { } dag)
            return DagNotFound(dagId);
        var (dateText, confText) = (form["date"].ToString().Trim(), form["conf"].ToString());
        RazorComponentResult<TriggerPage> Form(string error, int status) =>
            new(new { DagId = dag.DagId, Date = dateText, Conf = secrets.Mask(confText), Error = secrets.Mask(error), ReturnUrl = LocalOrNull(form["returnUrl"]) }) { StatusCode = status };

        DateTimeOffset? date = null;
        if (dateText.Length > 0)
        {
            if (!RunInput.TryParseDate(dateText, out var parsed))
                return Form($"Logical date: '{dateText}' is not a date (2026-11-20) or an ISO 8601 date-time.", StatusCodes.Status400BadRequest);
            date = parsed;
        }

        // The conf is read as `dags trigger --conf` reads it; an empty box is an empty conf.
        if (!RunInput.TryParseConf(string.IsNullOrWhiteSpace(confText) ? "{}" : confText, out var conf, out var why))
            return Form($"Conf: {why}", StatusCodes.Status400BadRequest);
        var (outcome, run) = await launcher.TriggerAsync(dag, RunInput.Request(date, conf, time), cancellationToken).ConfigureAwait(false);
        if (outcome != TriggerOutcome.Queued)
        {
            var forDate = outcome == TriggerOutcome.DateTaken ? " for that logical date" : "";
            return Form($"DAG '{dag.DagId}' already has run {run.RunId} ({run.State.ToString().ToLowerInvariant()}){forDate}.", StatusCodes.Status409Conflict);
        }

        return Back(form, WebRoutes.Grid(dag.DagId));
    }

    private static async Task<IResult> ClearAsync(string dagId, string runId, string taskId, IFormCollection form, DagCatalog catalog, RunChanges actions, SecretMasker secrets, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is not { } dag)
            return DagNotFound(dagId);
        var downstream = form["downstream"].ToString() is "true" or "on";
        var edit = await actions.ClearAsync(dag, runId, [taskId], downstream, cancellationToken).ConfigureAwait(false);
        return Answer(edit, dag, form, WebRoutes.TaskInstance(dag.DagId, runId, taskId), secrets);
    }

    private static async Task<IResult> MarkTaskAsync(string dagId, string runId, string taskId, IFormCollection form, DagCatalog catalog, RunChanges actions, SecretMasker secrets, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is not { } dag)
            return DagNotFound(dagId);
        if (State(form) is not { } success)
            return BadState(dag, form, WebRoutes.TaskInstance(dag.DagId, runId, taskId));
        var edit = await actions.MarkTaskAsync(dag, runId, taskId, success, cancellationToken).ConfigureAwait(false);
        return Answer(edit, dag, form, WebRoutes.TaskInstance(dag.DagId, runId, taskId), secrets);
    }

    private static async Task<IResult> MarkRunAsync(string dagId, string runId, IFormCollection form, DagCatalog catalog, RunChanges actions, SecretMasker secrets, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, dagId, cancellationToken).ConfigureAwait(false) is not { } dag)
            return DagNotFound(dagId);
        if (State(form) is not { } success)
            return BadState(dag, form, WebRoutes.Grid(dag.DagId));
        var edit = await actions.MarkRunAsync(dag, runId, success, cancellationToken).ConfigureAwait(false);
        return Answer(edit, dag, form, WebRoutes.Grid(dag.DagId), secrets);
    }

    private static IResult Answer(RunEdit edit, DagDefinition dag, IFormCollection form, string fallback, SecretMasker secrets) => edit.Outcome switch
    {
        RunEditOutcome.Done => Back(form, fallback, secrets.Mask(edit.Message)),
        RunEditOutcome.NotFound => PageResults.NotFound(secrets.Mask(edit.Message)!),
        _ => new RazorComponentResult<ActionRefusedPage>(new { DagId = dag.DagId, Message = secrets.Mask(edit.Message), Back = LocalOrNull(form["returnUrl"]) ?? fallback })
        {
            StatusCode = StatusCodes.Status409Conflict,
        },
    };

    private static bool? State(IFormCollection form) => form["state"].ToString() switch
    {
        "success" => true,
        "failed" => false,
        _ => null,
    };

    private static RazorComponentResult<ActionRefusedPage> BadState(DagDefinition dag, IFormCollection form, string fallback) =>
        new(new { DagId = dag.DagId, Message = $"state: '{form["state"]}' is not success or failed.", Back = LocalOrNull(form["returnUrl"]) ?? fallback })
        {
            StatusCode = StatusCodes.Status400BadRequest,
        };

    private static async Task<DagDefinition?> FindAsync(DagCatalog catalog, string dagId, CancellationToken cancellationToken) =>
        (await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false)).Dag;

    private static RazorComponentResult<NotFoundPage> DagNotFound(string dagId) => PageResults.NotFound($"DAG '{dagId}' was not found.");

    private static SeeOtherResult Back(IFormCollection form, string fallback, string? notice = null) =>
        new(WebRoutes.WithNotice(LocalOrNull(form["returnUrl"]) ?? fallback, notice));

    // Only a path of this site: an absolute URL, a scheme-relative //host or /\host (which browsers read
    // as //host) is never followed, so a form cannot send people elsewhere.
    internal static string? LocalOrNull(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.Any(char.IsControl)
            ? url
            : null;
}
