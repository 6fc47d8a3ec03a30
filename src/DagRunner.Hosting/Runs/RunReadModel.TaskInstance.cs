using System.Collections.Immutable;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Runs;
using DagRunner.Hosting.Connections;
using DagRunner.Operators.Remote;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>The task instance page's read model: the run, the instance, and every attempt with what it ran
/// (rendered fields, statements as sent) and the remote job it recorded, with the evidence of how it ended.</summary>
public sealed partial class RunReadModel
{
    /// <summary>Task <paramref name="taskId"/> of run <paramref name="runId"/> of DAG <paramref name="dagId"/>,
    /// or <see langword="null"/> when there is no such run or the run has no such task. Links to the
    /// cluster's UIs come from <paramref name="connections"/>, under the ids <paramref name="definition"/>
    /// names (the DAG's task as loaded now; null gives the default connections).</summary>
    public async Task<TaskInstanceView?> TaskInstanceAsync(string dagId, string runId, string taskId, ConnectionSource connections, TaskDefinition? definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var run = await store.FindRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
            return null;
        var shown = Shown(run);
        var tasks = await store.TaskInstancesAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false);
        if (tasks.FirstOrDefault(t => t.TaskId == taskId) is not { } task)
            return null;

        var recorded = (await store.AttemptsAsync(run.DagId, run.RunId, cancellationToken).ConfigureAwait(false))
            .Where(a => a.TaskId == taskId)
            .ToDictionary(a => a.TryNumber);
        var attempts = ImmutableArray.CreateBuilder<AttemptView>(task.TryNumber);
        for (var tryNumber = 1; tryNumber <= task.TryNumber; tryNumber++)
        {
            var checkpoint = checkpoints.For(task.DagId, task.RunId, task.TaskId, tryNumber);
            var handle = await RemoteHandleKinds.LoadAsync(checkpoints, checkpoint.AttemptKey, cancellationToken).ConfigureAwait(false);
            var (fields, statements) = Rendered(recorded.GetValueOrDefault(tryNumber)?.RenderedFields, RemoteJobViews.Outputs(handle));
            var remote = RemoteJobViews.Of(handle, new ClusterLinks(connections, definition, fields), secrets);
            attempts.Add(recorded.TryGetValue(tryNumber, out var attempt)
                ? new AttemptView(attempt.TryNumber, attempt.State, attempt.StartedAt, attempt.EndedAt, secrets.Mask(attempt.Error), attempt.LogFile, Over: true, fields, statements, remote)
                : Current(task, tryNumber, remote));
        }

        return new TaskInstanceView(shown, task with { Error = secrets.Mask(task.Error) }, attempts.MoveToImmutable(), secrets.MaskJson(task.Output));
    }

    /// <summary>Whether attempt <paramref name="tryNumber"/> of the task is over (recorded, or a later one
    /// began, or the task is in a final state); <see langword="null"/> when the run, the task or the
    /// attempt (not begun) is not there.</summary>
    public async Task<bool?> AttemptOverAsync(string dagId, string runId, string taskId, int tryNumber, CancellationToken cancellationToken)
    {
        var tasks = await store.TaskInstancesAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        if (tasks.FirstOrDefault(t => t.TaskId == taskId) is not { } task || tryNumber < 1 || tryNumber > task.TryNumber)
            return null;
        if (task.TryNumber > tryNumber || (task.TryNumber == tryNumber && IsOver(task.State)))
            return true;
        var attempts = await store.AttemptsAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        return attempts.Any(a => a.TaskId == taskId && a.TryNumber == tryNumber);
    }

    /// <summary>The log file of attempt <paramref name="tryNumber"/>: as recorded when it ended, the task's
    /// while it is the latest; null when not known (yet).</summary>
    public async Task<string?> AttemptLogFileAsync(string dagId, string runId, string taskId, int tryNumber, CancellationToken cancellationToken)
    {
        var attempts = await store.AttemptsAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        if (attempts.FirstOrDefault(a => a.TaskId == taskId && a.TryNumber == tryNumber) is { } attempt)
            return attempt.LogFile;
        var tasks = await store.TaskInstancesAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        return tasks.FirstOrDefault(t => t.TaskId == taskId && t.TryNumber == tryNumber)?.LogFile;
    }

    // The latest attempt runs only while the task is running: queued, scheduled or none again (a retry
    // or a clear) means the attempt ended, and a runner that died leaves it running until it is taken over.
    private static bool IsOver(TaskState state) => state != TaskState.Running;

    // The latest attempt, not recorded as an attempt yet: running, queued, or over and not recorded (an
    // older store). An earlier one that was never recorded shows as what little is known.
    private AttemptView Current(TaskInstance task, int tryNumber, RemoteJobView? remote) =>
        tryNumber == task.TryNumber
            ? new AttemptView(tryNumber, task.State, task.StartedAt, task.EndedAt, secrets.Mask(task.Error), task.LogFile, IsOver(task.State), [], [], remote)
            : new AttemptView(tryNumber, TaskState.None, null, null, null, null, Over: true, [], [], remote);

    // The attempt's rendered fields and statements as the executor recorded them (masked JSON):
    // {"fields": {name: value}, "statements": [{number, origin, kind, code}]}.
    private (ImmutableArray<RenderedFieldView>, ImmutableArray<RenderedStatementView>) Rendered(string? json, IReadOnlyList<string?> outputs)
    {
        if (string.IsNullOrEmpty(json))
            return ([], []);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var fields = root.TryGetProperty("fields", out var named) && named.ValueKind == JsonValueKind.Object
                ? named.EnumerateObject().Select(p => new RenderedFieldView(p.Name, Text(p.Value))).ToImmutableArray()
                : [];
            var statements = root.TryGetProperty("statements", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select((s, i) => new RenderedStatementView(
                    s.TryGetProperty("number", out var n) && n.TryGetInt32(out var number) ? number : i + 1,
                    String(s, "origin"),
                    String(s, "kind"),
                    String(s, "code"),
                    i < outputs.Count ? secrets.Mask(outputs[i]) : null)).ToImmutableArray()
                : [];
            return (fields, statements);
        }
        catch (JsonException)
        {
            return ([new RenderedFieldView("(unreadable)", secrets.Mask(json) ?? "")], []);
        }
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
