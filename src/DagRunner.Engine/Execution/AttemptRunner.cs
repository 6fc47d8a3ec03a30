using DagRunner.Engine.Definitions;
using DagRunner.Engine.Runs;
using DagRunner.Engine.Execution;
using DagRunner.Engine.Logs;
using DagRunner.Sdk;

namespace DagRunner.Engine.Execution;

/// <summary>
/// Runs one attempt of a task: its log file, its execution timeout (on the injected clock), and the
/// grace its operator gets to clean up remote work when the timeout cancels it. Its operator records
/// remote handles in <paramref name="checkpoints"/>.
/// </summary>
internal sealed class AttemptRunner(TimeProvider time, ExecutorOptions options, IServiceProvider? services, CheckpointStore checkpoints)
{
    /// <summary>Runs the attempt. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> (the run cancelled) ends it; <paramref name="detachToken"/> (the
    /// runner stopping gracefully) ends it as a detached result; every other end is a result.</summary>
    public async Task<AttemptResult> RunAsync(
        DagDefinition dag, TaskDefinition task, DagRun run, int tryNumber, IReadOnlyDictionary<string, object?> outputs, DagRunObserver observer,
        CancellationToken cancellationToken, CancellationToken detachToken = default)
    {
        var logFile = LogFile(dag.DagId, run.RunId, task.TaskId, tryNumber);
        observer.TaskStarted(task.TaskId, tryNumber);
        var started = time.GetTimestamp();
        using var log = new TaskLogWriter(task.TaskId, logFile, observer, options.Secrets, time);
        using var timeout = task.Policy.ExecutionTimeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, detachToken);

        string? rendered = null;

        AttemptResult Finish(bool succeeded, object? output, string? error, bool detached = false)
        {
            log.Flush();
            // The error goes to the store, the run's events and the terminal: masked here, where it is made.
            return new AttemptResult(succeeded, output, options.Secrets.Mask(error), log.HasFile ? logFile : null, time.GetElapsedTime(started), detached, rendered);
        }

        if (task.Instance is null)
            return Finish(false, null, "The task's DAG file is not loaded in this process, so it cannot run.");
        var context = TaskContexts.For(dag, task, run, tryNumber, outputs, log, services, checkpoints, options.Secrets, json => rendered = options.Secrets.MaskJson(json), linked.Token, detachToken);
        Task<object?>? running = null;
        try
        {
            // On the pool and with WaitAsync: an operator that blocks (even before returning its task)
            // and ignores its token is abandoned at the timeout instead of holding the run; it keeps
            // a thread, not the run, until it returns.
            var instance = task.Instance;
            running = Task.Run(() => instance.ExecuteAsync(context, any.Token), any.Token);
            return Finish(true, await running.WaitAsync(any.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (detachToken.IsCancellationRequested && !linked.IsCancellationRequested)
        {
            await log.WriteLineAsync("The runner is stopping: this attempt is left to a restarted runner.").ConfigureAwait(false);
            await AwaitCleanupAsync(running).ConfigureAwait(false);
            return Finish(false, null, null, detached: true);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var message = $"The task ran longer than its execution timeout ({task.Policy.ExecutionTimeout}) and was cancelled.";
            await log.WriteLineAsync(message).ConfigureAwait(false);
            await AwaitCleanupAsync(running).ConfigureAwait(false);
            return Finish(false, null, message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await log.WriteLineAsync(ex is TaskFailedException ? ex.Message : ex.ToString()).ConfigureAwait(false);
            return Finish(false, null, ex.Message);
        }
    }

    /// <summary>Where an attempt's log goes.</summary>
    public string LogFile(string dagId, string runId, string taskId, int tryNumber) =>
        Path.Combine(options.LogsFolder, dagId, Sanitize(runId), taskId, $"attempt={tryNumber}.log");

    // A cancelled operator cleans up its remote work (deletes its batch) before it returns; wait for
    // that, within the grace, measured on the wall clock: it is a real remote call, and a task that
    // blocks and ignores its token must not hold the run longer than that.
    private async Task AwaitCleanupAsync(Task<object?>? running)
    {
        if (running is null || options.CleanupGrace <= TimeSpan.Zero)
            return;
        try
        {
            await running.WaitAsync(options.CleanupGrace, TimeProvider.System).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException || running.IsFaulted)
        {
            // Cancelled as asked, failed on the way out, or still busy: the timeout is the story.
        }
    }

    private static string Sanitize(string runId) => string.Concat(runId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
