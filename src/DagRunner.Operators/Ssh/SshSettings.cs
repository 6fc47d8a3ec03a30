using System.Globalization;
using DagRunner.Clients.Connections;

namespace DagRunner.Operators.Ssh;

/// <summary>
/// An SSH host, read from <c>ssh://user[:password]@host[:port]?key-file=~/.ssh/id_ed25519</c>. Extras:
/// <c>key-file</c> (a private key; OpenSSH, PEM or PuTTY format), <c>passphrase</c> (the key's), <c>known-hosts</c>
/// (default <c>~/.ssh/known_hosts</c>), <c>host-key</c> (a pinned <c>SHA256:...</c> fingerprint, instead of or
/// besides known-hosts), <c>accept-unknown-host-key=true</c> (trust a host whose key is nowhere known: for
/// throwaway hosts only; a key that differs from a known one is refused still), <c>keepalive</c> (seconds
/// between keepalives; default 30, 0 for none), <c>connect-timeout</c> (seconds; default 30).
/// </summary>
internal sealed record SshSettings(
    string Id,
    string Host,
    int Port,
    string User,
    string? Password,
    string? KeyFile,
    string? Passphrase,
    string KnownHostsFile,
    string? PinnedFingerprint,
    bool AcceptUnknownHostKey,
    TimeSpan KeepAlive,
    TimeSpan ConnectTimeout)
{
    /// <summary><c>user@host:port</c>, for messages (no secret).</summary>
    public string Address => $"{User}@{Host}:{Port}";

    /// <exception cref="ConnectionException">The connection is not ssh://, names no user, or an extra is wrong.</exception>
    public static SshSettings From(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var id = connection.Id;
        if (connection.BaseUri.Scheme != "ssh")
            throw new ConnectionException($"The connection '{id}' is a {connection.BaseUri.Scheme}:// connection; an SSH host is an ssh:// URI, e.g. ssh://hadoop@master:22?key-file=~/.ssh/id_ed25519.");
        if (string.IsNullOrEmpty(connection.UserName))
            throw new ConnectionException($"Connection '{id}': an SSH connection names its user: ssh://user@host:port.");
        var extras = connection.Extras;
        var known = new HashSet<string>(["key-file", "passphrase", "known-hosts", "host-key", "accept-unknown-host-key", "keepalive", "connect-timeout"], StringComparer.OrdinalIgnoreCase);
        if (extras.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ConnectionException($"Connection '{id}': unknown extra '{unknown}' ({string.Join(", ", known)}).");
        if (connection.Password is null && !extras.ContainsKey("key-file"))
            throw new ConnectionException($"Connection '{id}': give a password (ssh://user:password@host) or a key file (?key-file=/path/to/key).");
        var accept = extras.GetValueOrDefault("accept-unknown-host-key") is { } flag
            && (bool.TryParse(flag, out var on) ? on : throw new ConnectionException($"Connection '{id}': accept-unknown-host-key must be true or false."));
        return new SshSettings(
            id,
            connection.BaseUri.Host,
            connection.BaseUri.IsDefaultPort || connection.BaseUri.Port < 0 ? 22 : connection.BaseUri.Port,
            connection.UserName,
            connection.Password,
            Home(extras.GetValueOrDefault("key-file")),
            extras.GetValueOrDefault("passphrase"),
            Home(extras.GetValueOrDefault("known-hosts")) ?? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts"),
            extras.GetValueOrDefault("host-key"),
            accept,
            Seconds(id, extras, "keepalive", 30),
            Seconds(id, extras, "connect-timeout", 30));
    }

    private static string? Home(string? path) =>
        path is not null && path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static TimeSpan Seconds(string id, System.Collections.Immutable.ImmutableSortedDictionary<string, string> extras, string name, int fallback)
    {
        if (!extras.TryGetValue(name, out var text))
            return TimeSpan.FromSeconds(fallback);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ConnectionException($"Connection '{id}': {name} must be a number of seconds, not '{text}'.");
    }
}
