using System.Diagnostics;
using DagRunner.Engine.Definitions;
using DagRunner.Engine.Execution;
using DagRunner.Sdk;

namespace DagRunner.Engine.Testing;

/// <summary>
/// Runs a whole DAG once, now, in process and in dependency order, without the scheduler or the
/// run store: what <c>dagrunner dags test</c> does. Trigger rules and execution timeouts apply;
/// retries, pools and parallel execution belong to the engine's executor.
/// </summary>
public sealed class DagTestRunner(TimeProvider timeProvider, string logsFolder, IServiceProvider? services = null, TimeSpan? cleanupGrace = null)
{
    /// <summary>How long a task cancelled by its timeout may take to clean up its remote work (a
    /// Livy batch to delete) before the run goes on without it. Default 1 minute.</summary>
    public TimeSpan CleanupGrace { get; } = cleanupGrace ?? TimeSpan.FromMinutes(1);

    /// <summary>Runs every task of <paramref name="dag"/> and returns how each ended.</summary>
    public async Task<DagTestResult> RunAsync(DagDefinition dag, DagTestRequest request, DagRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);

        var states = new Dictionary<string, TaskState>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var outcomes = new List<TaskOutcome>();
        var ancestors = Ancestors(dag);

        // Definitions list tasks in dependency order, so every upstream state is final here.
        foreach (var task in dag.Tasks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var decision = TriggerRules.Evaluate(task.Policy.TriggerRule, [.. task.Upstream.Select(id => states[id])]);
            TaskOutcome outcome = decision switch
            {
                TriggerDecision.Run => await RunTaskAsync(dag, task, request, Visible(outputs, ancestors[task.TaskId]), observer, outputs, cancellationToken).ConfigureAwait(false),
                TriggerDecision.UpstreamFailed => new TaskOutcome(task.TaskId, TaskState.UpstreamFailed, TimeSpan.Zero, 0, null, null),
                _ => new TaskOutcome(task.TaskId, TaskState.Skipped, TimeSpan.Zero, 0, null, null),
            };
            states[task.TaskId] = outcome.State;
            outcomes.Add(outcome);
            if (decision != TriggerDecision.Run)
            {
                observer.TaskFinished(outcome);
            }
        }

        return new DagTestResult(dag.DagId, request.RunId, outcomes);
    }

    private async Task<TaskOutcome> RunTaskAsync(
        DagDefinition dag,
        TaskDefinition task,
        DagTestRequest request,
        IReadOnlyDictionary<string, object?> upstreamOutputs,
        DagRunObserver observer,
        Dictionary<string, object?> outputs,
        CancellationToken cancellationToken)
    {
        const int attempt = 1;
        var logFile = Path.Combine(logsFolder, dag.DagId, Sanitize(request.RunId), task.TaskId, $"attempt={attempt}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        observer.TaskStarted(task.TaskId, attempt);
        var started = Stopwatch.GetTimestamp();
        using var log = new TaskLogWriter(task.TaskId, new StreamWriter(logFile, append: false), observer);
        using var timeout = task.Policy.ExecutionTimeout is { } limit
            ? new CancellationTokenSource(limit, timeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        TaskOutcome Finish(TaskState state, string? error)
        {
            log.Flush();
            var outcome = new TaskOutcome(task.TaskId, state, Stopwatch.GetElapsedTime(started), attempt, error, logFile);
            observer.TaskFinished(outcome);
            return outcome;
        }

        if (task.Instance is null)
        {
            return Finish(TaskState.Failed, "The task's DAG file is not loaded in this process, so it cannot run.");
        }

        var context = request.ContextFor(dag, task, attempt, upstreamOutputs, log, services, linked.Token);

        Task<object?>? running = null;
        try
        {
            // On the pool and with WaitAsync: an operator that blocks (even before returning its task)
            // and ignores its token is abandoned at the timeout instead of holding the run; it keeps
            // a thread, not the run, until it returns.
            var instance = task.Instance;
            running = Task.Run(() => instance.ExecuteAsync(context, linked.Token), linked.Token);
            var output = await running.WaitAsync(linked.Token).ConfigureAwait(false);
            outputs[task.TaskId] = output;
            return Finish(TaskState.Success, null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var message = $"The task ran longer than its execution timeout ({task.Policy.ExecutionTimeout}) and was cancelled.";
            await log.WriteLineAsync(message).ConfigureAwait(false);
            await AwaitCleanupAsync(running).ConfigureAwait(false);
            return Finish(TaskState.Failed, message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await log.WriteLineAsync(ex is TaskFailedException ? ex.Message : ex.ToString()).ConfigureAwait(false);
            return Finish(TaskState.Failed, ex.Message);
        }
    }

    // A cancelled operator cleans up its remote work (deletes its batch) before it returns; wait for
    // that, within the grace, measured on the wall clock: it is a real remote call, and a task that
    // blocks and ignores its token must not hold the run longer than that.
    private async Task AwaitCleanupAsync(Task<object?>? running)
    {
        if (running is null || CleanupGrace <= TimeSpan.Zero)
            return;
        try
        {
            await running.WaitAsync(CleanupGrace, TimeProvider.System).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException || running.IsFaulted)
        {
            // Cancelled as asked, failed on the way out, or still busy: the timeout is the story.
        }
    }

    private static Dictionary<string, HashSet<string>> Ancestors(DagDefinition dag)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var task in dag.Tasks)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var up in task.Upstream)
            {
                set.Add(up);
                set.UnionWith(result[up]);
            }

            result[task.TaskId] = set;
        }

        return result;
    }

    private static Dictionary<string, object?> Visible(Dictionary<string, object?> outputs, HashSet<string> ancestors) =>
        outputs.Where(o => ancestors.Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);

    private static string Sanitize(string runId) => string.Concat(runId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
