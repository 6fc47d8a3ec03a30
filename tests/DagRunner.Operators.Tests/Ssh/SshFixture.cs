using DagRunner.Testing.Ssh;

namespace DagRunner.Operators.Tests.Ssh;

/// <summary>One real sshd on loopback for a test class, with the connection URIs tests use.</summary>
public sealed class SshFixture : IAsyncLifetime
{
    public SshServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await SshServer.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary><c>ssh://user@127.0.0.1:port?key-file=...&amp;known-hosts=...</c>, plus <paramref name="extras"/>.</summary>
    public string KeyUri(string extras = "") =>
        $"ssh://{Server.UserName}@{Server.Host}:{Server.Port}?key-file={Uri.EscapeDataString(Server.UserKeyFile)}&known-hosts={Uri.EscapeDataString(Server.KnownHostsFile)}{extras}";
}
