using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DagRunner.LocalLivy.Execution;

/// <summary>A long-lived <c>python3</c> running <c>repl_driver.py</c>: statements go in one at a
/// time as JSON lines, Livy statement outputs come back. Its stderr is the session's log.</summary>
internal sealed class PythonRepl : IAsyncDisposable
{
    private ChildProcess _process = null!;
    private readonly TaskCompletionSource<ReplReady> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Action<string> _onLog;
    private readonly SemaphoreSlim _stdin = new(1, 1);
    private TaskCompletionSource<JsonObject>? _pending;

    private PythonRepl(Action<string> onLog) => _onLog = onLog;

    /// <summary>Completes when the driver said it is ready (and whether Spark is available), or
    /// fails if it exited first.</summary>
    public Task<ReplReady> Ready => _ready.Task;

    public Task<int> Exited => _process.Exited;

    /// <summary>True once <see cref="Exited"/> has completed if the interpreter was ended because its
    /// launcher (its parent) was killed, see <see cref="ChildProcess.LauncherLost"/>.</summary>
    public bool LauncherLost => _process.LauncherLost;

    /// <summary>Starts the driver in <paramref name="workingFolder"/>, which is on the module path
    /// with <paramref name="pythonPath"/> (the session's <c>pyFiles</c>), through the
    /// <see cref="JobLauncher"/> (which writes <paramref name="exitFile"/>).</summary>
    public static async Task<PythonRepl> StartAsync(string python, string driverFile, string workingFolder, IReadOnlyList<string> pythonPath, string appName, string exitFile, Action<string> onLog)
    {
        var startInfo = new ProcessStartInfo(python, ["-u", driverFile]) { WorkingDirectory = workingFolder };
        var inherited = Environment.GetEnvironmentVariable("PYTHONPATH");
        startInfo.Environment["PYTHONPATH"] = string.Join(Path.PathSeparator, [workingFolder, .. pythonPath, .. string.IsNullOrEmpty(inherited) ? Array.Empty<string>() : [inherited]]);
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        startInfo.Environment["PYTHONIOENCODING"] = "utf-8";
        startInfo.Environment["LOCAL_LIVY_APP_NAME"] = appName;
        var repl = new PythonRepl(onLog);
        repl._process = await ChildProcess.StartJobAsync(startInfo, python, exitFile, repl.OnEvent, onLog).ConfigureAwait(false);
        _ = repl.FailPendingOnExitAsync();
        return repl;
    }

    /// <summary>Runs one statement; completes with Livy's statement output, or throws
    /// <see cref="ReplDiedException"/> if the interpreter exited while running it.</summary>
    public async Task<JsonObject> ExecuteAsync(int id, string code, string kind)
    {
        var pending = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_pending is not null)
                throw new InvalidOperationException("The interpreter is already running a statement.");
            _pending = pending;
        }

        await WriteAsync(new JsonObject { ["id"] = id, ["code"] = code, ["kind"] = kind }.ToJsonString()).ConfigureAwait(false);
        // The interpreter may have exited before the statement was registered; don't wait forever.
        if (_process.Exited.IsCompleted)
            TakePending()?.TrySetException(new ReplDiedException(await _process.Exited.ConfigureAwait(false), _process.LauncherLost));
        return await pending.Task.ConfigureAwait(false);
    }

    /// <summary>Cancels statement <paramref name="id"/>: a KeyboardInterrupt if it runs, or as soon as
    /// it starts if the interpreter has not read it yet. By id, so a cancel is never lost and never
    /// hits the next statement.</summary>
    public Task InterruptAsync(int id) => WriteAsync(new JsonObject { ["cancel"] = id }.ToJsonString());

    public void Kill() => _process.Kill();

    /// <summary>Closes stdin, which makes the driver exit after the current statement; kills it if it
    /// has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stdin.WaitAsync().ConfigureAwait(false);
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone (and maybe already released).
        }
        finally
        {
            _stdin.Release();
        }

        // On the wall clock: the grace is a real process's, which a test's fake clock cannot hurry.
        if (await Task.WhenAny(_process.Exited, Task.Delay(grace, TimeProvider.System)).ConfigureAwait(false) != _process.Exited)
            _process.Kill();
        await _process.Exited.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    // One writer at a time: statements and cancels share the interpreter's stdin.
    private async Task WriteAsync(string line)
    {
        await _stdin.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The interpreter is gone; the exit watcher fails the pending statement.
        }
        finally
        {
            _stdin.Release();
        }
    }

    private void OnEvent(string line)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }

        switch (message?["event"]?.GetValue<string>())
        {
            case "ready":
                _ready.TrySetResult(new ReplReady(message["spark"]?.GetValue<bool>() ?? false, message["message"]?.GetValue<string>() ?? ""));
                break;
            case "result" when message["output"] is JsonObject output:
                TakePending()?.TrySetResult((JsonObject)output.DeepClone());
                break;
            default:
                // The driver owns this stream, so this is a driver bug: keep it visible in the log,
                // and end the statement waiting for an answer rather than leave it running forever.
                _onLog("LocalLivy: unexpected line from the interpreter driver: " + line);
                TakePending()?.TrySetResult(new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = "Internal Error: LocalLivy",
                    ["evalue"] = "The interpreter driver answered with a line that is not a result: " + line,
                    ["traceback"] = new JsonArray(),
                });
                break;
        }
    }

    private TaskCompletionSource<JsonObject>? TakePending()
    {
        lock (_lock)
        {
            var pending = _pending;
            _pending = null;
            return pending;
        }
    }

    private async Task FailPendingOnExitAsync()
    {
        var code = await _process.Exited.ConfigureAwait(false);
        _ready.TrySetException(new ReplDiedException(code, _process.LauncherLost));
        TakePending()?.TrySetException(new ReplDiedException(code, _process.LauncherLost));
    }
}

/// <summary>The driver started; whether <c>spark</c> is defined, and the line it logged about it.</summary>
internal sealed record ReplReady(bool Spark, string Message);

/// <summary>The interpreter process exited (or was ended because its launcher was killed).</summary>
internal sealed class ReplDiedException(int exitCode, bool launcherLost)
    : Exception(launcherLost ? JobLauncher.SessionLostMessage : $"The interpreter exited with code {exitCode}.")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The interpreter's launcher (its parent) was killed and the interpreter ended with it.</summary>
    public bool LauncherLost { get; } = launcherLost;
}
