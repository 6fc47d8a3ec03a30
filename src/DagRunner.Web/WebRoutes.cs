namespace DagRunner.Web;

/// <summary>
/// The UI's URLs, built in one place so every link is the bookmarkable form: <c>/dags</c>,
/// <c>/dags/{dag_id}/grid</c>, <c>/dags/{dag_id}/graph</c>, <c>/dags/{dag_id}/durations</c>,
/// <c>/dags/{dag_id}/code</c>, <c>/dags/{dag_id}/runs/{run_id}/tasks/{task_id}</c>. Ids are escaped
/// (a run id holds <c>:</c> and <c>+</c>).
/// </summary>
public static class WebRoutes
{
    /// <summary>The DAGs page, narrowed to the DAGs tagged <paramref name="tag"/> and matching <paramref name="text"/> when given.</summary>
    public static string Dags(string? tag = null, string? text = null)
    {
        var query = string.Join("&", new[] { ("tag", tag), ("q", text) }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={E(p.Item2!)}"));
        return query.Length == 0 ? "/dags" : "/dags?" + query;
    }

    /// <summary>The form that triggers a manual run of a DAG (GET shows it, POST queues the run).</summary>
    public static string Trigger(string dagId) => $"/dags/{E(dagId)}/trigger";

    /// <summary>A DAG's grid of runs and tasks.</summary>
    public static string Grid(string dagId) => $"/dags/{E(dagId)}/grid";

    /// <summary>A DAG's graph, coloured by the run <paramref name="runId"/> (the latest when null).</summary>
    public static string Graph(string dagId, string? runId = null) =>
        $"/dags/{E(dagId)}/graph" + (runId is null ? "" : $"?run={E(runId)}");

    /// <summary>A DAG's chart of run and task durations.</summary>
    public static string Durations(string dagId) => $"/dags/{E(dagId)}/durations";

    /// <summary>A DAG's code and its rendered previews for <paramref name="date"/> (today when null).</summary>
    public static string Code(string dagId, string? date = null) =>
        $"/dags/{E(dagId)}/code" + (date is null ? "" : $"?date={E(date)}");

    /// <summary>A run's page: its task instances (the grid narrowed to one run).</summary>
    public static string Run(string dagId, string runId) => $"/dags/{E(dagId)}/runs/{E(runId)}";

    /// <summary>A task instance, at attempt <paramref name="tryNumber"/> (the latest when null).</summary>
    public static string TaskInstance(string dagId, string runId, string taskId, int? tryNumber = null) =>
        $"/dags/{E(dagId)}/runs/{E(runId)}/tasks/{E(taskId)}" + (tryNumber is { } n ? $"?try={n}" : "");

    /// <summary>The server-sent events of a task instance's log, from attempt <paramref name="tryNumber"/>.</summary>
    public static string LogStream(string dagId, string runId, string taskId, int tryNumber) =>
        $"/api/dags/{E(dagId)}/runs/{E(runId)}/tasks/{E(taskId)}/log/stream?try={tryNumber}";

    /// <summary>POST: pauses (<paramref name="pause"/>) or unpauses a DAG.</summary>
    public static string Pause(string dagId, bool pause) => $"/dags/{E(dagId)}/{(pause ? "pause" : "unpause")}";

    /// <summary>POST: clears a task instance (with its downstream when the form says <c>downstream=true</c>).</summary>
    public static string ClearTask(string dagId, string runId, string taskId) => $"/dags/{E(dagId)}/runs/{E(runId)}/tasks/{E(taskId)}/clear";

    /// <summary>POST: marks a task instance as the form's <c>state</c> says (success or failed).</summary>
    public static string MarkTask(string dagId, string runId, string taskId) => $"/dags/{E(dagId)}/runs/{E(runId)}/tasks/{E(taskId)}/mark";

    /// <summary>POST: marks a run as the form's <c>state</c> says (success or failed).</summary>
    public static string MarkRun(string dagId, string runId) => $"/dags/{E(dagId)}/runs/{E(runId)}/mark";

    /// <summary>The sign-in page, going to <paramref name="returnUrl"/> once signed in (the DAGs page when null).</summary>
    public static string Login(string? returnUrl = null) => "/login" + (returnUrl is null ? "" : $"?returnUrl={E(returnUrl)}");

    /// <summary>Signing out (a POST with the anti-forgery token).</summary>
    public static string Logout() => "/logout";

    /// <summary>A file of the UI's own (CSS, JS), served from the assembly.</summary>
    public static string Asset(string name) => $"/assets/{name}?v={AssetVersion}";

    // The assembly's version: a new build's assets are never taken from a browser's cache.
    private static readonly string AssetVersion = typeof(WebRoutes).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];

    /// <summary><paramref name="url"/> carrying <paramref name="notice"/> (what an action did, in a sentence) for the
    /// page to show once; the URL as it is when there is none.</summary>
    public static string WithNotice(string url, string? notice) => string.IsNullOrWhiteSpace(notice)
        ? url
        : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "notice=" + E(notice);

    private static string E(string id) => Uri.EscapeDataString(id);
}
