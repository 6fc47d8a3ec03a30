using System.Diagnostics;
using System.Globalization;
using DagRunner.Testing;
using DagRunner.Testing.Ssh;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>The test SSH server, checked with the real OpenSSH client before SSH operators rely on it.</summary>
public sealed class SshServerTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SshServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await SshServer.StartAsync(Ct);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task UserKey_RunsTheCommand()
    {
        var (exitCode, output, error) = await RunSshAsync(_server.UserKeyFile, "echo hello");

        Assert.True(exitCode == 0, $"ssh exited with {exitCode}: {error}\nsshd:\n{_server.Log}");
        Assert.Equal("hello", output.Trim());
        Assert.StartsWith("SHA256:", _server.HostKeyFingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherKey_IsRefused()
    {
        var (exitCode, _, error) = await RunSshAsync(_server.OtherKeyFile, "echo hello");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Permission denied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillSessions_CutsTheConnectionButNotTheRemoteCommand()
    {
        using var folder = new TempFolder();
        var pidFile = folder["remote.pid"];
        using var ssh = StartSsh(_server.UserKeyFile, $"echo $$ > {pidFile}; echo started; sleep 30; echo done");
        try
        {
            var firstLine = await ssh.StandardOutput.ReadLineAsync(Ct);
            Assert.True(firstLine == "started", $"the remote command did not start: {firstLine}\nsshd:\n{_server.Log}");

            var killed = await _server.KillSessionsAsync(Ct);

            using var within = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            within.CancelAfter(TimeSpan.FromSeconds(10));
            await ssh.WaitForExitAsync(within.Token);
            Assert.Equal(255, ssh.ExitCode);
            Assert.True(killed >= 1, $"KillSessionsAsync killed {killed} processes");
            var remote = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            Assert.True(IsRunning(remote), $"the remote command {remote} died with its connection");
        }
        finally
        {
            if (!ssh.HasExited)
                ssh.Kill(entireProcessTree: true);
        }
    }

    private async Task<(int ExitCode, string Output, string Error)> RunSshAsync(string keyFile, string command)
    {
        using var ssh = StartSsh(keyFile, command);
        try
        {
            var output = ssh.StandardOutput.ReadToEndAsync(Ct);
            var error = ssh.StandardError.ReadToEndAsync(Ct);
            await ssh.WaitForExitAsync(Ct);
            return (ssh.ExitCode, await output, await error);
        }
        finally
        {
            if (!ssh.HasExited)
                ssh.Kill(entireProcessTree: true);
        }
    }

    private Process StartSsh(string keyFile, string command)
    {
        var start = new ProcessStartInfo("/usr/bin/ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-F", "/dev/null", "-p", _server.Port.ToString(CultureInfo.InvariantCulture), "-i", keyFile,
                     "-o", $"UserKnownHostsFile={_server.KnownHostsFile}", "-o", "StrictHostKeyChecking=yes",
                     "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-l", _server.UserName, _server.Host, command,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
