using DagRunner.Engine.Definitions;
using DagRunner.Scripting.Compilation;
using DagRunner.Sdk;
using DagRunner.Sdk.Runtime;

namespace DagRunner.Scripting.Loading;

/// <summary>
/// Runs a compiled DAG file in a collectible load context, collecting every <see cref="Dag"/>
/// it constructs. A file that runs past the load timeout is stopped by the guard checks woven
/// into its code; one blocked outside script code is abandoned on its pool thread (which waits,
/// using no processor; the pool adds threads for the other files) and reported.
/// </summary>
internal sealed class ScriptRunner(TimeProvider timeProvider)
{
    // After the timeout, how long to wait for the guard to stop the script, to report where it was.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    public async Task<ScriptRun> RunAsync(string dagFile, CompiledScript script, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var context = new ScriptLoadContext($"dag:{Path.GetFileName(dagFile)}", script.References);
        Func<object[], Task<object>> entry;
        try
        {
            using var image = new MemoryStream(script.Image!, writable: false);
            var assembly = context.LoadFromStream(image);
            var method = assembly.GetType(script.EntryType, throwOnError: true)!.GetMethod(script.EntryMethod)
                ?? throw new MissingMethodException(script.EntryType, script.EntryMethod);
            entry = method.CreateDelegate<Func<object[], Task<object>>>();
        }
        catch (Exception ex) when (ex is BadImageFormatException or TypeLoadException or MissingMethodException or FileLoadException)
        {
            context.Unload();
            return ScriptRun.Failed(new ImportError { File = dagFile, Message = $"The compiled file could not be loaded: {ex.Message}" });
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = new TaskCompletionSource<IReadOnlyList<Dag>>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A pool thread rather than a thread of its own: starting 200 threads costs more than
        // the scripts themselves. Deep recursion is caught by the guard's stack check either way.
        _ = Task.Run(() => Execute(entry, finished, stop.Token), CancellationToken.None);

        // Task.WhenAny, not WaitAsync(timeout): a script that throws TimeoutException itself must
        // be reported as that exception, not as the load timeout.
        using var timer = new CancellationTokenSource();
        var deadline = Task.Delay(timeout, timeProvider, timer.Token);
        try
        {
            if (await Task.WhenAny(finished.Task, deadline).WaitAsync(cancellationToken).ConfigureAwait(false) != finished.Task)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return ScriptRun.Failed(await DescribeTimeoutAsync(dagFile, script.Columns, timeout, finished.Task).ConfigureAwait(false), context) with { TimedOut = true };
            }
        }
        catch (OperationCanceledException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            context.Unload();
            throw;
        }

        await timer.CancelAsync().ConfigureAwait(false);

        // Whatever the file started and left running (a background loop) stops at its next guard.
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            return new ScriptRun(await finished.Task.ConfigureAwait(false), null, context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ScriptRun.Failed(ScriptFailure.FromException(dagFile, ex, script.Columns), context) with
            {
                OutOfMemory = ScriptFailure.Unwrap(ex) is OutOfMemoryException,
            };
        }
    }

    private static void Execute(Func<object[], Task<object>> entry, TaskCompletionSource<IReadOnlyList<Dag>> finished, CancellationToken stop)
    {
        try
        {
            using var guard = ScriptGuard.Watch(stop);
            using var collector = DagCollector.Begin();

            // Slot 0 holds the globals object (none), slot 1 the submission itself.
            entry(new object[2]).GetAwaiter().GetResult();
            finished.TrySetResult(collector.Snapshot());
        }
        catch (Exception ex)
        {
            finished.TrySetException(ex);
        }
    }

    private async Task<ImportError> DescribeTimeoutAsync(string dagFile, ColumnMap columns, TimeSpan timeout, Task<IReadOnlyList<Dag>> run)
    {
        var message = $"The file did not finish loading within {Format(timeout)} and was stopped.";
        using var timer = new CancellationTokenSource();
        if (await Task.WhenAny(run, Task.Delay(StopGrace, timeProvider, timer.Token)).ConfigureAwait(false) != run)
        {
            return new ImportError
            {
                File = dagFile,
                Message = message + " It is blocked outside script code (a wait, a sleep or a call that does not return) and was abandoned.",
            };
        }

        await timer.CancelAsync().ConfigureAwait(false);
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException stopped)
        {
            // The guard threw where the script was spinning: that is the line to show.
            return ScriptFailure.FromException(dagFile, stopped, columns, message.TrimEnd('.') + " while running this line.");
        }
        catch (Exception ex)
        {
            return ScriptFailure.FromException(dagFile, ex, columns, message);
        }

        return new ImportError { File = dagFile, Message = message };
    }

    private static string Format(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.#} s" : $"{timeout.TotalMilliseconds:0} ms";
}

/// <summary>What running a DAG file produced: its DAGs, or why it failed, and the context it lives in.</summary>
internal sealed record ScriptRun(IReadOnlyList<Dag> Dags, ImportError? Error, ScriptLoadContext? Context)
{
    /// <summary>Whether the file ran past the load timeout: a matter of the machine's load as much as of the file.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Whether the file failed because memory ran out (in the load probe: past its memory limit).</summary>
    public bool OutOfMemory { get; init; }

    public static ScriptRun Failed(ImportError error, ScriptLoadContext? context = null)
    {
        context?.Unload();
        return new ScriptRun([], error, null);
    }
}
