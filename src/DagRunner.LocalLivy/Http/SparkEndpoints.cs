using System.Globalization;
using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>The Spark monitoring REST API for the apps this server ran (reference §4), served
/// directly under <c>/api/v1</c> (like a History Server) and behind the RM proxy at
/// <c>/proxy/{appId}/api/v1</c> (where Livy's <c>sparkUiUrl</c> points).</summary>
internal static class SparkEndpoints
{
    public const string SparkVersion = "3.5.1";

    public static void Map(IEndpointRouteBuilder routes, LocalCluster cluster)
    {
        MapApi(routes.MapGroup("/api/v1"), cluster);
        MapApi(routes.MapGroup("/proxy/{proxiedAppId}/api/v1"), cluster);
    }

    private static void MapApi(IEndpointRouteBuilder api, LocalCluster cluster)
    {
        api.MapGet("/version", () => Answers.Json(new SparkVersionView(SparkVersion), WireJson.Wire.SparkVersionView));
        api.MapGet("/applications", (HttpContext context) => Applications(cluster, context.Request));
        api.MapGet("/applications/{appId}", (string appId) =>
            WithApp(cluster, appId, null, app => Answers.Json(Application(app), WireJson.Wire.SparkApplicationView)));
        foreach (var prefix in new[] { "/applications/{appId}", "/applications/{appId}/{attemptId}" })
        {
            api.MapGet(prefix + "/jobs", (string appId, string? attemptId, HttpContext context) =>
                WithApp(cluster, appId, attemptId, app => Jobs(app, context.Request)));
            api.MapGet(prefix + "/jobs/{jobId}", (string appId, string? attemptId, string jobId) =>
                WithApp(cluster, appId, attemptId, app => Job(app, jobId)));
            api.MapGet(prefix + "/stages", (string appId, string? attemptId, HttpContext context) =>
                WithApp(cluster, appId, attemptId, app => Stages(app, context.Request)));
        }
    }

    // Cluster-mode apps have attempt "1"; an unknown attempt is an unknown app, as in Spark.
    private static IResult WithApp(LocalCluster cluster, string appId, string? attemptId, Func<ClusterApp, IResult> answer)
    {
        var app = cluster.Apps.Find(appId);
        return app is not null && (attemptId is null || attemptId == "1")
            ? answer(app)
            : Answers.Text(StatusCodes.Status404NotFound, attemptId is null ? $"no such app: {appId}" : $"no such app: {appId}/{attemptId}");
    }

    private static IResult Applications(LocalCluster cluster, HttpRequest request)
    {
        var status = request.Query["status"].ToString();
        var limit = int.TryParse(request.Query["limit"], out var l) && l > 0 ? l : int.MaxValue;
        var apps = cluster.Apps.All()
            .Where(app => status.Length == 0 || (status == "completed") == YarnState.IsTerminal(app.State))
            .OrderByDescending(app => app.StartedTime)
            .Take(limit)
            .Select(Application)
            .ToList();
        return Answers.Json<IReadOnlyList<SparkApplicationView>>(apps, WireJson.Wire.IReadOnlyListSparkApplicationView);
    }

    private static SparkApplicationView Application(ClusterApp app)
    {
        var completed = YarnState.IsTerminal(app.State);
        var start = app.StartedTime;
        var end = app.FinishedTime;
        var attempt = new SparkAttemptView(
            AttemptId: "1",
            StartTime: Date(start),
            EndTime: end is { } e ? Date(e) : "1969-12-31T23:59:59.999GMT",
            LastUpdated: "",
            Duration: end is { } done ? (long)(done - start).TotalMilliseconds : 0,
            SparkUser: app.User,
            Completed: completed,
            AppSparkVersion: SparkVersion,
            StartTimeEpoch: start.ToUnixTimeMilliseconds(),
            EndTimeEpoch: end?.ToUnixTimeMilliseconds() ?? -1,
            LastUpdatedEpoch: 0,
            ExitCode: completed ? app.ExitCode : null);
        return new SparkApplicationView(app.Id, app.Name, [attempt]);
    }

    private static IResult Jobs(ClusterApp app, HttpRequest request)
    {
        var statuses = request.Query["status"].Select(s => s!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var jobs = app.Jobs()
            .Where(job => statuses.Count == 0 || statuses.Contains(job.Status))
            .OrderByDescending(job => job.JobId)
            .Select(JobView)
            .ToList();
        return Answers.Json<IReadOnlyList<SparkJobView>>(jobs, WireJson.Wire.IReadOnlyListSparkJobView);
    }

    private static IResult Job(ClusterApp app, string jobId) =>
        int.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && app.Jobs().FirstOrDefault(j => j.JobId == id) is { } job
            ? Answers.Json(JobView(job), WireJson.Wire.SparkJobView)
            : Answers.Text(StatusCodes.Status404NotFound, $"unknown job: {jobId}");

    private static IResult Stages(ClusterApp app, HttpRequest request)
    {
        var statuses = request.Query["status"].Select(s => s!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var stages = app.Jobs()
            .Select(StageView)
            .Where(stage => statuses.Count == 0 || statuses.Contains(stage.Status))
            .OrderByDescending(stage => stage.StageId)
            .ToList();
        return Answers.Json<IReadOnlyList<SparkStageView>>(stages, WireJson.Wire.IReadOnlyListSparkStageView);
    }

    // One job of one stage and one task per unit of work LocalLivy ran (a batch process, a statement).
    private static SparkJobView JobView(SparkJob job)
    {
        var running = job.Status == SparkJob.Running;
        var failed = job.Status == SparkJob.Failed;
        return new SparkJobView(
            job.JobId, job.Name, Description: null, Date(job.Submitted), job.Completed is { } c ? Date(c) : null,
            StageIds: [job.JobId], job.JobGroup, JobTags: [], job.Status,
            NumTasks: 1, NumActiveTasks: running ? 1 : 0, NumCompletedTasks: job.Status == SparkJob.Succeeded ? 1 : 0,
            NumSkippedTasks: 0, NumFailedTasks: failed ? 1 : 0, NumKilledTasks: 0,
            NumCompletedIndices: job.Status == SparkJob.Succeeded ? 1 : 0,
            NumActiveStages: running ? 1 : 0, NumCompletedStages: job.Status == SparkJob.Succeeded ? 1 : 0,
            NumSkippedStages: 0, NumFailedStages: failed ? 1 : 0,
            KilledTasksSummary: new Dictionary<string, int>());
    }

    private static SparkStageView StageView(SparkJob job) => new(
        Status: job.Status switch { SparkJob.Running => "ACTIVE", SparkJob.Failed => "FAILED", _ => "COMPLETE" },
        StageId: job.JobId,
        AttemptId: 0,
        NumTasks: 1,
        NumActiveTasks: job.Status == SparkJob.Running ? 1 : 0,
        NumCompleteTasks: job.Status == SparkJob.Succeeded ? 1 : 0,
        NumFailedTasks: job.Status == SparkJob.Failed ? 1 : 0,
        NumKilledTasks: 0,
        Name: job.Name,
        SubmissionTime: Date(job.Submitted),
        CompletionTime: job.Completed is { } c ? Date(c) : null,
        FailureReason: job.Status == SparkJob.Failed ? "The code of this job failed; see the driver log." : null);

    private static string Date(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'GMT'", CultureInfo.InvariantCulture);
}
