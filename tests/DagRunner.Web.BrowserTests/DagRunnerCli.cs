using System.Diagnostics;
using DagRunner.Testing;

namespace DagRunner.Web.BrowserTests;

/// <summary>The real <c>dagrunner</c> executable (built beside the tests) over one project's folders:
/// what a user runs, as a separate process.</summary>
public sealed class DagRunnerCli(string projectFolder, string home, string dagsFolder, string templatesFolder)
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dagrunner.exe" : "dagrunner");

    /// <summary>Runs <c>dagrunner ARGS</c> to its end and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var running = Start(args);
        var exit = await running.WaitAsync(cancellationToken);
        return (exit, running.Output.ToString());
    }

    /// <summary>Starts <c>dagrunner ARGS</c>; its output lines can be awaited as they come.</summary>
    public Running Start(string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--home", home, "--dags-folder", dagsFolder, "--templates-folder", templatesFolder })
            start.ArgumentList.Add(arg);
        // The tests decide every setting; nothing from the developer's shell leaks in.
        foreach (var name in new[] { "DAGRUNNER_DAGS_FOLDER", "DAGRUNNER_TEMPLATES_FOLDER", "DAGRUNNER_HOME", "DAGRUNNER_LOAD_TIMEOUT" })
            start.Environment.Remove(name);
        return new Running(Process.Start(start)!);
    }

    /// <summary>A started <c>dagrunner</c>: stdout and stderr go, line by line, to <see cref="Output"/>.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly Process _process;

        public Running(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public LineSignal Output { get; } = new();

        public int Id => _process.Id;

        public async Task<int> WaitAsync(CancellationToken cancellationToken)
        {
            await _process.WaitForExitAsync(cancellationToken);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }
    }
}
