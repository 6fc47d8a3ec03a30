using System.Globalization;
using System.Text.Json;
using DagRunner.LocalLivy.Cluster;
using DagRunner.LocalLivy.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.LocalLivy.Http;

/// <summary>The ResourceManager REST API for the apps this server ran (reference §5), plus the
/// NodeManager container-log page that <c>driverLogUrl</c> points to.</summary>
internal static class YarnEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, LocalCluster cluster)
    {
        routes.MapGet("/ws/v1/cluster/apps", (HttpContext context) => List(cluster, context.Request));
        routes.MapGet("/ws/v1/cluster/apps/{appId}", (string appId) =>
            WithApp(cluster, appId, app => Answers.Json(new YarnAppEnvelope(View(cluster, app)), WireJson.Wire.YarnAppEnvelope)));
        routes.MapGet("/ws/v1/cluster/apps/{appId}/state", (string appId) =>
            WithApp(cluster, appId, app => Answers.Json(new YarnStateView(app.State), WireJson.Wire.YarnStateView)));
        routes.MapPut("/ws/v1/cluster/apps/{appId}/state", (string appId, HttpContext context) => KillAsync(cluster, appId, context));
        routes.MapGet("/node/containerlogs/{containerId}/{user}", (string containerId) => ContainerLog(cluster, containerId));
    }

    private static IResult WithApp(LocalCluster cluster, string appId, Func<ClusterApp, IResult> answer)
    {
        if (!IsValidAppId(appId))
        {
            return Answers.RemoteException(StatusCodes.Status400BadRequest, "BadRequestException",
                $"java.lang.IllegalArgumentException: Invalid ApplicationId: {appId}", "org.apache.hadoop.yarn.webapp.BadRequestException");
        }

        return cluster.Apps.Find(appId) is { } app
            ? answer(app)
            : Answers.RemoteException(StatusCodes.Status404NotFound, "NotFoundException",
                $"java.lang.Exception: app with id: {appId} not found", "org.apache.hadoop.yarn.webapp.NotFoundException");
    }

    // Hadoop's parser: "application_" then a cluster timestamp (long) and a sequence number (int).
    private static bool IsValidAppId(string appId)
    {
        const string Prefix = "application_";
        if (!appId.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var rest = appId.AsSpan(Prefix.Length);
        var underscore = rest.IndexOf('_');
        return underscore > 0
            && long.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && int.TryParse(rest[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static IResult List(LocalCluster cluster, HttpRequest request)
    {
        static HashSet<string> Set(string? csv, bool upper) =>
            new((csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => upper ? v.ToUpperInvariant() : v.ToLowerInvariant()), StringComparer.Ordinal);

        var states = Set(request.Query["states"].ToString() is { Length: > 0 } s ? s : request.Query["state"], upper: true);
        var tags = Set(request.Query["applicationTags"], upper: false);
        var types = Set(request.Query["applicationTypes"], upper: true);
        var user = request.Query["user"].ToString();
        var queue = request.Query["queue"].ToString();
        var limit = int.TryParse(request.Query["limit"], out var l) && l > 0 ? l : int.MaxValue;

        var apps = cluster.Apps.All()
            .Where(app => states.Count == 0 || states.Contains(app.State))
            .Where(app => tags.Count == 0 || app.Tags.Any(tags.Contains))
            .Where(app => types.Count == 0 || types.Contains("SPARK"))
            .Where(app => user.Length == 0 || app.User == user)
            .Where(app => queue.Length == 0 || app.Queue == queue)
            .Take(limit)
            .Select(app => View(cluster, app))
            .ToList();
        // An empty result is {"apps":null}, not an empty list.
        return Answers.Json(new YarnAppsEnvelope(apps.Count == 0 ? null : new YarnAppList(apps)), WireJson.Wire.YarnAppsEnvelope);
    }

    private static async Task<IResult> KillAsync(LocalCluster cluster, string appId, HttpContext context)
    {
        var body = await LivyBodies.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        string? target = null;
        try
        {
            if (body is { IsEmpty: false } bytes)
            {
                using var document = JsonDocument.Parse(bytes);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("state", out var state))
                    target = state.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Answers.RemoteException(StatusCodes.Status400BadRequest, "BadRequestException", "java.lang.Exception: Invalid request body: " + e.Message, "org.apache.hadoop.yarn.webapp.BadRequestException");
        }

        if (cluster.Options.YarnRequiresUser && context.Request.Query["user.name"].ToString().Length == 0)
        {
            return Answers.RemoteException(StatusCodes.Status403Forbidden, "AuthorizationException",
                "Unable to obtain user name, user not authenticated", "org.apache.hadoop.security.authorize.AuthorizationException");
        }

        if (!string.Equals(target, YarnState.Killed, StringComparison.Ordinal))
        {
            return Answers.RemoteException(StatusCodes.Status400BadRequest, "BadRequestException",
                "java.lang.Exception: Only 'KILLED' is allowed as a target state.", "org.apache.hadoop.yarn.webapp.BadRequestException");
        }

        if (cluster.Apps.Find(appId) is not { } app)
            return WithApp(cluster, appId, _ => Results.Empty);
        if (!YarnState.IsTerminal(app.State) && app.Kill is { } kill)
            await kill().ConfigureAwait(false);
        context.Response.Headers.Location = $"/ws/v1/cluster/apps/{appId}/state";
        // The RM answers 202 while the kill is in progress and 200 once the app is KILLED.
        return Answers.Json(new YarnStateView(app.State), WireJson.Wire.YarnStateView,
            app.State == YarnState.Killed ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static IResult ContainerLog(LocalCluster cluster, string containerId)
    {
        var app = cluster.Apps.All().FirstOrDefault(a => a.ContainerId == containerId);
        if (app?.DriverLogFile is not { } file || !File.Exists(file))
            return Answers.Text(StatusCodes.Status404NotFound, $"Logs for container {containerId} are not available.");
        return Streams.FileRange(file, 0, long.MaxValue, "text/plain; charset=utf-8");
    }

    private static YarnAppView View(LocalCluster cluster, ClusterApp app)
    {
        var now = cluster.Time.GetUtcNow();
        var finished = app.FinishedTime;
        var running = app.State == YarnState.Running;
        var trackingUi = app.State switch
        {
            YarnState.Accepted => "UNASSIGNED",
            YarnState.Running => "ApplicationMaster",
            _ => "History",
        };
        string? trackingUrl = app.State switch
        {
            YarnState.Accepted => null,
            YarnState.Running => cluster.Urls.SparkUi(app),
            _ => cluster.Urls.History(app),
        };
        var elapsed = (long)((finished ?? now) - app.StartedTime).TotalMilliseconds;
        return new YarnAppView(
            app.Id, app.User, app.Name, app.Queue, app.State, app.FinalStatus,
            Progress: YarnState.IsTerminal(app.State) ? 100 : running ? 10 : 0,
            trackingUi, trackingUrl, app.Diagnostics,
            ClusterId: cluster.Apps.ClusterTimestamp,
            ApplicationType: "SPARK",
            ApplicationTags: string.Join(',', app.Tags),
            Priority: 0,
            StartedTime: app.StartedTime.ToUnixTimeMilliseconds(),
            LaunchTime: app.StartedTime.ToUnixTimeMilliseconds(),
            FinishedTime: finished?.ToUnixTimeMilliseconds() ?? 0,
            ElapsedTime: elapsed,
            AmContainerLogs: app.State == YarnState.Accepted ? null : cluster.Urls.DriverLog(app),
            AmHostHttpAddress: app.State == YarnState.Accepted ? null : new Uri(cluster.Urls.BaseUrl).Authority,
            AllocatedMB: running ? 1024 : -1,
            AllocatedVCores: running ? 1 : -1,
            RunningContainers: running ? 1 : -1,
            MemorySeconds: elapsed / 1000 * 1024,
            VcoreSeconds: elapsed / 1000,
            QueueUsagePercentage: 0,
            ClusterUsagePercentage: 0,
            PreemptedResourceMB: 0,
            PreemptedResourceVCores: 0,
            NumNonAMContainerPreempted: 0,
            NumAMContainerPreempted: 0,
            LogAggregationStatus: "DISABLED",
            UnmanagedApplication: false,
            AppNodeLabelExpression: "",
            AmNodeLabelExpression: "");
    }
}
