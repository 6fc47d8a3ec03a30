using DagRunner.Operators.Tests.Livy;
using DagRunner.Operators.Tests.SparkSubmit;
using DagRunner.Sdk;
using DagRunner.Testing;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>SshOperator against a real OpenSSH server on loopback: output, exit codes, host keys,
/// authentication, environment and cancellation.</summary>
public sealed class SshOperatorTests(SshFixture ssh) : IClassFixture<SshFixture>, IAsyncLifetime
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;
    private LivyTestbed _bed = null!;

    public async ValueTask InitializeAsync() => _bed = await LivyTestbed.StartAsync();

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    private Task<object?> RunAsync(SshOperator task, TextWriter? log = null, CancellationToken? token = null) =>
        task.ExecuteAsync(_bed.Context(task.TaskId, log ?? new StringWriter()), token ?? Token);

    [Fact]
    public async Task Command_OutputStreamed_LastLineIsTheOutput()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();
        var log = new StringWriter();

        var output = await RunAsync(new SshOperator("remote") { Command = "echo one; echo two >&2; echo three" }, log);

        Assert.Equal("three", output);
        Assert.Contains("one", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("two", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("__dagrunner_pid__", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandReadingStandardInput_DoesNotEatTheRestOfTheScript()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();

        Assert.Equal("second line ran", await RunAsync(new SshOperator("remote") { Command = "cat >/dev/null\nread -r line || true\necho second line ran" }));
    }

    [Fact]
    public async Task NonZeroExit_Fails()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "exit 7" }));

        Assert.Contains("exited with code 7", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_ExportedUnchanged()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();
        var task = new SshOperator("remote") { Command = "printf '%s\\n' \"$GREETING\"" };
        task.Environment["GREETING"] = "it's \"$HOME\" and `id`";

        Assert.Equal("it's \"$HOME\" and `id`", await RunAsync(task));
    }

    [Fact]
    public async Task UnknownHostKey_RefusedWithTheFingerprint()
    {
        using var folder = new TempFolder("ssh-known");
        folder.Write("known_hosts", "");
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(folder["known_hosts"])}";

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "echo never" }));

        Assert.Contains("is unknown", failure.Message, StringComparison.Ordinal);
        Assert.Contains(ssh.Server.HostKeyFingerprint, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownHostKey_AcceptedOnlyWhenTheConnectionSays()
    {
        using var folder = new TempFolder("ssh-known");
        folder.Write("known_hosts", "");
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(folder["known_hosts"])}&accept-unknown-host-key=true";
        var log = new StringWriter();

        Assert.Equal("hi", await RunAsync(new SshOperator("remote") { Command = "echo hi" }, log));
        Assert.Contains("Accepting the unknown host key", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedHostKey_RefusedEvenWhenUnknownKeysAreAccepted()
    {
        using var folder = new TempFolder("ssh-known");
        var other = File.ReadAllText(ssh.Server.OtherKeyFile + ".pub").Split(' ')[1];
        folder.Write("known_hosts", $"[{ssh.Server.Host}]:{ssh.Server.Port} ssh-ed25519 {other}\n");
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(folder["known_hosts"])}&accept-unknown-host-key=true";

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "echo never" }));

        Assert.Contains("is not among the keys", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostKnownByItsEcdsaKeyOnly_ThatKeyIsAskedFor()
    {
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(ssh.Server.EcdsaKnownHostsFile)}";

        Assert.Equal("ecdsa", await RunAsync(new SshOperator("remote") { Command = "echo ecdsa" }));
    }

    [Fact]
    public async Task HostKnownByAKeyTypeItNoLongerOffers_RefusedAsAChangedKey()
    {
        using var folder = new TempFolder("ssh-known");
        var rsa = new byte[4 + 7 + 64];
        rsa[3] = 7;
        "ssh-rsa"u8.CopyTo(rsa.AsSpan(4));
        folder.Write("known_hosts", $"[{ssh.Server.Host}]:{ssh.Server.Port} ssh-rsa {Convert.ToBase64String(rsa)}\n");
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(folder["known_hosts"])}";

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "echo never" }));

        Assert.Contains("the host offers no key of the types", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-rsa", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinnedFingerprint_TrustedWithoutKnownHosts()
    {
        using var folder = new TempFolder("ssh-known");
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(folder["none"])}&host-key={Uri.EscapeDataString(ssh.Server.HostKeyFingerprint)}";

        Assert.Equal("pinned", await RunAsync(new SshOperator("remote") { Command = "echo pinned" }));
    }

    [Fact]
    public async Task WrongPassword_ClearErrorWithoutThePassword()
    {
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}:not-the-password-42@{ssh.Server.Host}:{ssh.Server.Port}?known-hosts={Uri.EscapeDataString(ssh.Server.KnownHostsFile)}";

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "echo never" }));

        Assert.Contains("authentication failed: the password was refused", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_ClearError()
    {
        _bed.Connections["ssh_default"] = $"ssh://{ssh.Server.UserName}@{ssh.Server.Host}:{ssh.Server.Port}?key-file={Uri.EscapeDataString(ssh.Server.OtherKeyFile)}&known-hosts={Uri.EscapeDataString(ssh.Server.KnownHostsFile)}";

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => RunAsync(new SshOperator("remote") { Command = "echo never" }));

        Assert.Contains($"authentication failed: the key {ssh.Server.OtherKeyFile} was refused", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_TheRemoteCommandAndItsChildrenEnd()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();
        var marker = $"marker-{Guid.NewGuid():N}";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var log = new CancelOnLine("started", cancel);

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            RunAsync(new SshOperator("remote") { Command = $"echo started; python3 -c 'import time; time.sleep(600)' {marker}; echo after" }, log, cancel.Token));

        Assert.True(log.ToString().Contains("Stopped the command", StringComparison.Ordinal), $"{log}\n{cancelled}");
        Assert.False(SparkSubmitBed.ProcessRunning(marker), "the remote command's child was left running");
    }

    [Fact]
    public async Task SecretVariable_NeverInACommandLineOnTheHost()
    {
        _bed.Connections["ssh_default"] = ssh.KeyUri();
        var release = Path.Join(_bed.Jobs.Path, $"release-{Guid.NewGuid():N}");
        var task = new SshOperator("remote") { Command = $"echo ready; while [ ! -e '{release}' ]; do sleep 0.05; done; printf '%s' \"$DB_PASSWORD\" | wc -c" };
        task.Environment["DB_PASSWORD"] = "hunter2-never-listed";
        var ready = new TaskCompletionSource();
        var log = new SignalWriter("ready", ready);

        var running = task.ExecuteAsync(_bed.Context("remote", log), Token);
        await ready.Task.WaitAsync(Token);
        var listed = SparkSubmitBed.ProcessRunning("hunter2-never-listed");
        File.WriteAllText(release, "");

        Assert.Equal("20", (await running)?.ToString()?.Trim());
        Assert.False(listed, "the secret was in a process's command line on the host");
    }

    // Completes when a line containing the trigger is written.
    private sealed class SignalWriter(string trigger, TaskCompletionSource signal) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
                signal.TrySetResult();
        }
    }
}
