using System.Diagnostics;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests;

public sealed class ShellOperatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_StreamsOutputAndReturnsTheLastLine()
    {
        var log = new StringWriter();
        var shell = new ShellOperator("s") { Command = "echo first; echo oops >&2; echo last" };

        var output = await shell.ExecuteAsync(Contexts.For("s", log), Ct);

        Assert.Equal("last", output);
        var lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["first", "last", "oops"], lines.Order());
    }

    [Fact]
    public async Task ExecuteAsync_NonZeroExit_FailsWithTheCode()
    {
        var shell = new ShellOperator("s") { Command = "exit 7" };

        var error = await Assert.ThrowsAsync<ShellCommandFailedException>(() => shell.ExecuteAsync(Contexts.For("s"), Ct));

        Assert.Equal(7, error.ExitCode);
        Assert.Contains("exited with code 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_UsesWorkingDirectoryAndEnvironment()
    {
        using var folder = new TempFolder();
        var shell = new ShellOperator("s")
        {
            Command = "echo \"$GREETING from $(pwd)\"",
            WorkingDirectory = folder.Path,
            Environment = { ["GREETING"] = "hello" },
        };

        var output = await shell.ExecuteAsync(Contexts.For("s"), Ct);

        Assert.Equal($"hello from {folder.Path}", output);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_KillsTheProcessTree()
    {
        using var folder = new TempFolder();
        var pidFile = folder["child.pid"];
        var shell = new ShellOperator("s") { Command = $"sleep 60 & echo $! > {pidFile}; echo started; wait" };
        using var cancel = new CancellationTokenSource();
        var log = new SignallingWriter("started", cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shell.ExecuteAsync(Contexts.For("s", log), cancel.Token));

        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await HasEndedAsync(child), $"the child process {child} outlived the cancelled task");
    }

    [Fact]
    public async Task ExecuteAsync_EmptyCommand_FailsClearly()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new ShellOperator("s").ExecuteAsync(Contexts.For("s"), Ct));

        Assert.Contains("Command is empty", error.Message, StringComparison.Ordinal);
    }

    // SIGKILL is delivered asynchronously by the kernel, so the grandchild may take a moment to
    // die; a process that is gone or a zombie (dead, not yet reaped by init) has ended.
    private static async Task<bool> HasEndedAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true;
            }

            var text = await File.ReadAllTextAsync(stat, Ct);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            if (state is "Z" or "X")
            {
                return true;
            }

            await Task.Delay(20, Ct);
        }

        return false;
    }

    /// <summary>Cancels when a given line is written: the test reacts to the command's progress, not to time.</summary>
    private sealed class SignallingWriter(string trigger, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value == trigger)
            {
                cancel.Cancel();
            }
        }
    }
}
