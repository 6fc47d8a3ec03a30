using System.Diagnostics;
using DagRunner.Operators.Ssh;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>What the remote shell makes of quoted arguments, checked with a real /bin/sh.</summary>
public sealed class ShellQuoteTests
{
    [Fact]
    public async Task QuotedArguments_AndAHomeRelativeProgram_ReachTheShellAsMeant()
    {
        string[] args = ["it's", "$HOME", "a b", "", "`id`", "line\nbreak", "\\"];
        var script = "printf '%s|' " + ShellQuote.Join(args) + "; printf '%s' " + ShellQuote.Program("~/bin/x");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, ArgumentList = { "-c", script } };
        start.Environment["HOME"] = "/home/someone";
        using var shell = Process.Start(start)!;
        var output = await shell.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(string.Join('|', args) + "|/home/someone/bin/x", output);
    }
}
