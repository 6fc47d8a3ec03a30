using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Scheduling;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Api;

/// <summary>
/// The JSON API of the DAGs: <c>GET /api/dags</c> (every DAG with its pause state, schedule, next run
/// and last runs' states, and the import errors) and <c>GET /api/dags/{dagId}</c> (one DAG, its tasks
/// and its recent runs; 404 with a message when there is no such DAG). Answers go through the
/// process's masker, as the terminal's output does.
/// </summary>
internal static class DagsApi
{
    /// <summary>How many of a DAG's runs the list shows as marks, and the DAG's page lists.</summary>
    private const int ListedRuns = 10;
    private const int DagRuns = 25;

    public static void MapDagsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/dags", ListAsync);
        endpoints.MapGet("/api/dags/{dagId}", DagAsync);
    }

    private static async Task<IResult> ListAsync(DagCatalog catalog, RunReadModel runs, SecretMasker secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        // Loaded again only when the folder changed (as the pages do).
        var loaded = await catalog.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var overview = await runs.DagsOverviewAsync(loaded, ListedRuns, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var dags = overview.Dags.Select(summary => new
        {
            dagId = summary.Dag.DagId,
            description = summary.Dag.Description,
            file = summary.Dag.File,
            line = summary.Dag.Line,
            schedule = summary.Dag.Schedule,
            scheduleWords = summary.ScheduleWords,
            timeZone = summary.Dag.TimeZone,
            nextRun = summary.NextRun,
            paused = summary.Paused,
            tags = summary.Dag.Tags,
            tasks = summary.Dag.Tasks.Length,
            recentRuns = summary.RecentRuns.Select(Run),
        });
        return Masked(secrets, new { dags, importErrors = overview.ImportErrors.Select(Error) });
    }

    private static async Task<IResult> DagAsync(string dagId, DagCatalog catalog, RunReadModel runs, SecretMasker secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var lookup = await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false);
        if (lookup.Dag is not { } dag)
        {
            return Masked(secrets, new { error = $"DAG '{dagId}' was not found.", importErrors = lookup.ImportErrors.Select(Error) }, StatusCodes.Status404NotFound);
        }

        var paused = await runs.PausedAsync(cancellationToken).ConfigureAwait(false);
        var recent = await runs.RecentRunsAsync(dag.DagId, DagRuns, cancellationToken).ConfigureAwait(false);
        return Masked(secrets, new
        {
            dagId = dag.DagId,
            description = dag.Description,
            file = dag.File,
            line = dag.Line,
            schedule = dag.Schedule,
            scheduleWords = ScheduleWords.Describe(dag.Schedule, dag.TimeZone),
            timeZone = dag.TimeZone,
            nextRun = NextRun.For(dag, time.GetUtcNow()),
            paused = paused.Contains(dag.DagId),
            tags = dag.Tags,
            tasks = dag.Tasks.Select(t => new { taskId = t.TaskId, @operator = t.Operator, upstream = t.Upstream }),
            runs = recent.Select(Run),
        });
    }

    private static object Run(DagRun run) => new
    {
        runId = run.RunId,
        runType = TaskStates.Snake(run.RunType.ToString()),
        state = TaskStates.Snake(run.State.ToString()),
        logicalDate = run.LogicalDate,
        dataIntervalStart = run.DataIntervalStart,
        dataIntervalEnd = run.DataIntervalEnd,
    };

    private static object Error(ImportError error) => new
    {
        file = error.File,
        line = error.Line,
        column = error.Column,
        code = error.Code,
        message = error.Message,
        sourceText = error.SourceText,
    };

    // Whatever an answer holds (an import error quoting a file, a description) passes the masker.
    private static IResult Masked(SecretMasker secrets, object answer, int status = StatusCodes.Status200OK) =>
        MaskedJson.Result(secrets, answer, status);
}
