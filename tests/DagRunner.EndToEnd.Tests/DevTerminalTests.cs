using System.Diagnostics;
using System.Text;
using DagRunner.Testing;

namespace DagRunner.EndToEnd.Tests;

/// <summary>
/// <c>dagrunner dev --run</c> in a real pseudo-terminal (util-linux <c>script</c> gives it one): the
/// run at the start, a save answered and run again, then the keys: <c>r</c> runs again, <c>q</c> quits.
/// </summary>
public sealed class DevTerminalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DevRun_InATerminal_AnswersASave_RerunsOnR_QuitsOnQ()
    {
        using var project = new TempFolder("dagrunner-dev-pty");
        var dag = project.Write("dags/etl.csx", Dag("echo one"));
        using var process = StartInTerminal(project.Path, "dev --run etl --quiet-ms 100");
        var screen = new Screen(process);
        try
        {
            await screen.WaitForAsync("Run of etl: success", 1);
            Assert.Contains("Keys: r runs etl again, q quits.", screen.Text, StringComparison.Ordinal);
            Assert.Contains("a | one", screen.Text, StringComparison.Ordinal);

            await File.WriteAllTextAsync(dag + ".tmp", Dag("echo two"), Token);
            File.Move(dag + ".tmp", dag, overwrite: true);
            await screen.WaitForAsync("Run of etl: success", 2);
            Assert.Contains("etl: task a fields changed", screen.Text, StringComparison.Ordinal);
            Assert.Contains("a | two", screen.Text, StringComparison.Ordinal);

            await process.StandardInput.WriteAsync("r");
            await process.StandardInput.FlushAsync(Token);
            await screen.WaitForAsync("Run of etl: success", 3);

            await process.StandardInput.WriteAsync("q");
            await process.StandardInput.FlushAsync(Token);
            await process.WaitForExitAsync(Token).WaitAsync(Patience, Token);
            Assert.Equal(0, process.ExitCode);
            await screen.WaitForAsync("Stopped watching.", 1);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    // dagrunner in a pseudo-terminal: util-linux script, -q quiet, -f flush each write, -e pass on
    // the exit code, -c the command; no typescript file.
    private static Process StartInTerminal(string folder, string arguments)
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed to give dagrunner a pseudo-terminal (.ci/run checks for it).");
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-qfec", $"'{Path.Combine(AppContext.BaseDirectory, "dagrunner")}' {arguments}", "/dev/null" })
            start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "xterm";
        foreach (var name in new[] { "DAGRUNNER_DAGS_FOLDER", "DAGRUNNER_TEMPLATES_FOLDER", "DAGRUNNER_HOME", "DAGRUNNER_LOAD_TIMEOUT" })
            start.Environment.Remove(name);
        return Process.Start(start)!;
    }

    private static int Count(string text, string line)
    {
        var count = 0;
        for (var at = text.IndexOf(line, StringComparison.Ordinal); at >= 0; at = text.IndexOf(line, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static string Dag(string command) =>
        $"var dag = new Dag(\"etl\");\ndag.Add(new ShellOperator(\"a\") {{ Command = \"{command}\" }});\n";

    // What the terminal shows, read as it comes, so the test waits for a line rather than a guessed time.
    private sealed class Screen
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();
        private readonly Process _process;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Screen(Process process)
        {
            _process = process;
            _ = ReadAsync(process.StandardOutput);
            _ = ReadAsync(process.StandardError);
        }

        public string Text
        {
            get
            {
                lock (_gate)
                    return _text.ToString();
            }
        }

        public async Task WaitForAsync(string line, int occurrences)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (Count(_text.ToString(), line) >= occurrences)
                        return;
                    changed = _changed.Task;
                }

                var left = Patience - deadline.Elapsed;
                Assert.True(left > TimeSpan.Zero && !_process.HasExited || changed.IsCompleted,
                    $"'{line}' did not appear {occurrences} time(s); the terminal showed:\n{Text}");
                try
                {
                    await changed.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, Token);
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"'{line}' did not appear {occurrences} time(s) within {Patience.TotalSeconds} s; the terminal showed:\n{Text}");
                }
            }
        }

        private async Task ReadAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer, Token)) > 0)
            {
                lock (_gate)
                {
                    _text.Append(buffer, 0, read);
                    _changed.TrySetResult();
                    _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }
}
