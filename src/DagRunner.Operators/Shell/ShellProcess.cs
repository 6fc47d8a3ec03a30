using System.Diagnostics;

namespace DagRunner.Operators;

/// <summary>Runs one shell command, forwarding its output line by line.</summary>
internal static class ShellProcess
{
    public static async Task<ShellResult> RunAsync(
        string command,
        string? workingDirectory,
        IEnumerable<KeyValuePair<string, string>> environment,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? Environment.CurrentDirectory : workingDirectory,
        };
        start.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        string? lastOutputLine = null;
        var gate = new Lock();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                if (e.Data.Length > 0)
                {
                    lastOutputLine = e.Data;
                }

                log.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(e.Data);
            }
        };

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The child and everything it started go with the task: no orphans after a timeout.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // WaitForExitAsync returns once the output streams reached their end, so every line is in.
        lock (gate)
        {
            return new ShellResult(process.ExitCode, lastOutputLine);
        }
    }
}

/// <summary>How a shell command ended.</summary>
internal sealed record ShellResult(int ExitCode, string? LastOutputLine);
