using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;

namespace DagRunner.Engine.Execution;

/// <summary>How an ended attempt moves its task, the same wherever it ran (the run's own process, or a worker
/// of the shared queue): success with its output, a retry after the policy's delay, or failed; and the
/// attempt's record.</summary>
internal static class AttemptEnding
{
    public static (TaskInstance Task, RunEvent Event, TaskAttempt Attempt) Of(TaskDefinition definition, TaskInstance task, AttemptResult? result, string? error, DateTimeOffset now)
    {
        if (result is { Succeeded: true })
        {
            var (done, doneEvent) = TaskMachine.Move(task, TaskState.Success, now, null, t => t with { Output = OutputJson(result.Output), LogFile = result.LogFile ?? t.LogFile });
            return (done, doneEvent, Attempt(task, TaskState.Success, result, null, now));
        }

        if (task.TryNumber <= definition.Policy.Retries)
        {
            var retryAt = now + RetryDelays.After(definition.Policy, task.TryNumber);
            var (retry, retryEvent) = TaskMachine.Move(task, TaskState.UpForRetry, now, error, t => t with { RetryAt = retryAt, Error = error, LogFile = result?.LogFile ?? t.LogFile });
            return (retry, retryEvent, Attempt(task, TaskState.UpForRetry, result, error, now));
        }

        var (failed, failedEvent) = TaskMachine.Move(task, TaskState.Failed, now, error, t => t with { Error = error, LogFile = result?.LogFile ?? t.LogFile });
        return (failed, failedEvent, Attempt(task, TaskState.Failed, result, error, now));
    }

    private static TaskAttempt Attempt(TaskInstance task, TaskState outcome, AttemptResult? result, string? error, DateTimeOffset now) =>
        TaskAttempt.EndedOf(task, outcome, now, result?.LogFile, error, result?.RenderedFields);

    private static string? OutputJson(object? output)
    {
        if (output is null)
            return null;
        try
        {
            return JsonSerializer.Serialize(output, output.GetType());
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return JsonSerializer.Serialize(new { unstorable = output.GetType().Name, reason = e.Message });
        }
    }
}
