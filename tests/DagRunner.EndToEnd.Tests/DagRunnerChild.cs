using System.Diagnostics;
using System.Text;

namespace DagRunner.EndToEnd.Tests;

/// <summary>A <c>dagrunner</c> process that runs beside the test (and beside other ones), its output
/// collected as it comes, so a test can wait on what it printed or did, kill it, or wait for its end.</summary>
internal sealed class DagRunnerChild : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private DagRunnerChild(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
                return _error.ToString();
        }
    }

    public static DagRunnerChild Start(string workingDirectory, params string[] args) =>
        new(Process.Start(DagRunnerProcess.StartInfo(workingDirectory, args))!);

    /// <summary>Runs as the unprivileged user <c>nobody</c> (through <c>setpriv</c>), for what root is exempt from: file modes.</summary>
    public static DagRunnerChild StartAsNobody(string workingDirectory, params string[] args) =>
        new(Process.Start(DagRunnerProcess.StartInfo(
            workingDirectory, ["--reuid=65534", "--regid=65534", "--clear-groups", DagRunnerProcess.Executable, .. args], program: "setpriv"))!);

    /// <summary>Waits until <paramref name="condition"/> holds (checked on the child's progress, not a guessed duration).</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < Patience, $"Timed out waiting for {what}.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        // The last lines arrive after the exit event: WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer does: no cleanup of any kind.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>SIGINT, as Ctrl+C does.</summary>
    public async Task InterruptAsync()
    {
        using (var stop = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await stop.WaitForExitAsync(TestContext.Current.CancellationToken);
        await ExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
            return;
        lock (text)
            text.AppendLine(line);
    }
}
