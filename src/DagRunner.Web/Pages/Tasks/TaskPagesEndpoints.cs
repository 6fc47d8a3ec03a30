using DagRunner.Hosting.Connections;
using DagRunner.Hosting.Dags;
using DagRunner.Hosting.Runs;
using DagRunner.Web.Pages.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Tasks;

/// <summary>The endpoints of the task instance page and its live log.</summary>
internal static class TaskPagesEndpoints
{
    public static void MapTaskPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dags/{dagId}/runs/{runId}/tasks/{taskId}", PageAsync);
        endpoints.MapGet("/api/dags/{dagId}/runs/{runId}/tasks/{taskId}/log/stream", LogStream.StreamAsync);
    }

    private static async Task<IResult> PageAsync(
        string dagId, string runId, string taskId, string? @try,
        DagCatalog catalog, RunReadModel runs, ConnectionSource connections, TaskLogReader logs, TimeProvider time, CancellationToken cancellationToken)
    {
        var dag = await catalog.FindCurrentAsync(dagId, cancellationToken).ConfigureAwait(false);
        var task = dag.Found ? dag.FindTask(taskId) : null;
        var view = await runs.TaskInstanceAsync(dagId, runId, taskId, connections, task?.Task, cancellationToken).ConfigureAwait(false);
        if (view is null)
            return PageResults.NotFound($"Task '{taskId}' of run '{runId}' of DAG '{dagId}' was not found.");
        if (view.Attempts.IsEmpty)
            return PageResults.Page<TaskInstancePage>(new { View = view, Selected = (AttemptView?)null, Log = (TaskLogText?)null, Now = time.GetUtcNow() });

        AttemptView selected;
        if (@try is null)
            selected = view.Attempts[^1];
        else if (int.TryParse(@try, out var number) && number >= 1 && number <= view.Attempts.Length)
            selected = view.Attempts[number - 1];
        else
            return PageResults.NotFound($"Task '{taskId}' of run '{runId}' has no try '{@try}' (tries 1 to {view.Attempts.Length}).");
        var log = await logs.ReadAsync(selected.LogFile, TaskLogReader.DefaultMaxBytes, cancellationToken).ConfigureAwait(false);
        return PageResults.Page<TaskInstancePage>(new { View = view, Selected = selected, Log = log, Now = time.GetUtcNow() });
    }
}
