using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DagRunner.Operators.SparkSubmit.Launch;

/// <summary>spark-submit as a child process of the runner, started with an argument list (no shell). Stopped
/// as a terminal's Ctrl+C would not be: SIGTERM first (spark-submit's shutdown hooks delete its staging files and,
/// in client mode, stop the driver), then, after <see cref="Grace"/>, SIGKILL to it and everything it started.</summary>
internal sealed class LocalSubmitHost(TimeProvider time) : ISubmitHost
{
    /// <summary>How long spark-submit has to end after SIGTERM.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public string Name { get; } = "local " + Environment.MachineName;

    public Task<IRunningSubmit> StartAsync(SparkSubmitCommand command, Action<string> line, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in command.Environment)
            start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) line(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) line(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new Sdk.TaskFailedException($"spark-submit could not be started as '{command.Program}': {e.Message}. Set the spark-submit extra of the spark-submit connection (spark-submit://yarn?spark-submit=/opt/spark/bin/spark-submit) or put it on the PATH.", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult<IRunningSubmit>(new Running(process, time));
    }

    public Task<bool> StopEarlierAsync(string tag, CancellationToken cancellationToken)
    {
        var stopped = false;
        var self = Environment.ProcessId;
        foreach (var folder in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == self)
                continue;
            try
            {
                // A spark-submit of the attempt: one of its arguments is spark.yarn.tags=... with the tag (not a
                // tool that merely mentions the tag).
                if (!File.ReadAllText(Path.Join(folder, "cmdline")).Split('\0').Any(a => a.StartsWith("spark.yarn.tags=", StringComparison.Ordinal) && a.Contains(tag, StringComparison.Ordinal)))
                    continue;
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                stopped = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // it ended meanwhile, or is not ours to stop
            }
        }

        return Task.FromResult(stopped);
    }

    private sealed class Running(Process process, TimeProvider time) : IRunningSubmit
    {
        public int? Pid { get; } = process.Id;

        // WaitForExitAsync returns once the output streams reached their end, so every line is in.
        public Task<SubmitEnd> Ended { get; } = EndAsync(process);

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            // Its descendants are noted first: once spark-submit exits on SIGTERM, a driver or helper it started
            // belongs to init and would be out of reach of a process-tree kill (and would keep its output open).
            var family = ProcessFamily.Descendants(Pid!.Value);
            try
            {
                if (!OperatingSystem.IsWindows() && !process.HasExited && Signal(Pid.Value, SigTerm) == 0)
                {
                    try
                    {
                        await Ended.WaitAsync(Grace, time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // still running: killed below
                    }
                }
            }
            finally
            {
                try
                {
                    if (!process.HasExited)
                        process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
                {
                    // it has ended
                }

                ProcessFamily.KillSurvivors(family);
            }

            await Ended.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync()
        {
            process.Dispose();
            return ValueTask.CompletedTask;
        }

        private static async Task<SubmitEnd> EndAsync(Process process)
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return new SubmitEnd(process.ExitCode);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);
}
