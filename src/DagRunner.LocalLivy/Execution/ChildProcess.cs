using System.ComponentModel;
using System.Diagnostics;

namespace DagRunner.LocalLivy.Execution;

/// <summary>A real child process whose output is read line by line as it comes, and which can be
/// stopped with its whole process tree. A job's process is started through the
/// <see cref="JobLauncher"/>, so that its parent is not the server.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly int _pid;
    private readonly string? _exitFile;
    private int _disposed;
    private readonly Task _readers;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string? exitFile, Action<string> onStdout, Action<string> onStderr)
    {
        _process = process;
        _pid = process.Id;
        _exitFile = exitFile;
        _readers = Task.WhenAll(
            PumpAsync(process.StandardOutput, onStdout),
            PumpAsync(process.StandardError, onStderr));
        _ = WaitForExitAsync();
    }

    /// <summary>Completes with the exit code once the process has exited and its output has been read.</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>True once <see cref="Exited"/> has completed if the job's launcher ended without the
    /// job's exit code: something killed it (the job's own code, signalling its parent) and the job
    /// was ended with it. <see cref="Exited"/> then has the launcher's code.</summary>
    public bool LauncherLost { get; private set; }

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Starts a job's process through the <see cref="JobLauncher"/> (where supported), which
    /// runs <paramref name="python"/> -S -E for a moment and writes the exit code to <paramref name="exitFile"/>.</summary>
    public static Task<ChildProcess> StartJobAsync(ProcessStartInfo startInfo, string python, string exitFile, Action<string> onStdout, Action<string> onStderr)
    {
        if (!JobLauncher.Supported)
            return StartAsync(startInfo, onStdout, onStderr);
        JobLauncher.Wrap(startInfo, python, exitFile);
        return StartAsync(startInfo, onStdout, onStderr, exitFile);
    }

    /// <summary>Starts the process; a missing program becomes a <see cref="ChildProcessException"/> that says which.</summary>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo startInfo, Action<string> onStdout, Action<string> onStderr, string? exitFile = null)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        var process = new Process { StartInfo = startInfo };
        try
        {
            await ProcessLauncher.StartAsync(process).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new ChildProcessException($"Cannot run '{startInfo.FileName}': {e.Message}", e);
        }

        return new ChildProcess(process, exitFile, onStdout, onStderr);
    }

    /// <summary>Kills the process, its children and its process group if it leads one; no-op once it has exited.</summary>
    public void Kill()
    {
        // After the end its pid may belong to someone else: never signal it again.
        if (_exit.Task.IsCompleted)
            return;
        NativeMethods.KillProcessGroup(_pid);
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (Win32Exception)
        {
            // Same race on some platforms.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _exit.Task.ConfigureAwait(false);
        // The job's runner and the server's stop may both dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        // Process.Dispose leaves the redirected streams open (someone might still read them): their
        // pipes are closed here, or every job would keep three descriptors.
        Close(_process.StandardInput);
        Close(_process.StandardOutput);
        Close(_process.StandardError);
        _process.Dispose();
    }

    private static void Close(IDisposable stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // stdin flushes on close, into a pipe whose reader has gone.
        }
    }

    // The output is read to its end, unless a process the job left behind keeps the pipes open:
    // then the job still ends a moment after its own process (YARN ends a container with its driver).
    private async Task WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // A job that leads a process group of its own (the REPL driver makes one) takes what it
        // started with it, as YARN ends a container's processes with the container.
        // That is also what ends a job whose launcher was killed under it.
        NativeMethods.KillProcessGroup(_pid);
        // On the wall clock: the grace is for real processes' pipes, which a test's fake clock cannot hurry.
        await Task.WhenAny(_readers, Task.Delay(ReaderGrace, TimeProvider.System)).ConfigureAwait(false);
        var code = _process.ExitCode;
        if (_exitFile is not null)
        {
            if (JobLauncher.TakeExitCode(_exitFile) is { } jobCode)
                code = jobCode;
            else
                LauncherLost = true;
        }

        _exit.TrySetResult(code);
    }

    private static readonly TimeSpan ReaderGrace = TimeSpan.FromSeconds(5);

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                onLine(line);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            // Closed after the grace a leftover process got (see WaitForExitAsync).
        }
    }
}
