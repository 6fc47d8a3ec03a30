using System.Net.Sockets;
using DagRunner.Sdk;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace DagRunner.Operators.Ssh;

/// <summary>Opens an SSH connection the way the connection says: key or password, the host's key checked
/// against known_hosts (or a pinned fingerprint) before anything is sent, keepalives on. Every failure is a
/// <see cref="TaskFailedException"/> that says what was refused and how to fix it, never a password.</summary>
internal static class SshSession
{
    public static async Task<SshClient> ConnectAsync(SshSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var methods = new List<AuthenticationMethod>();
        if (settings.KeyFile is { } keyFile)
        {
            try
            {
                methods.Add(new PrivateKeyAuthenticationMethod(settings.User, settings.Passphrase is null ? new PrivateKeyFile(keyFile) : new PrivateKeyFile(keyFile, settings.Passphrase)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SshException or ArgumentException or InvalidOperationException)
            {
                throw new TaskFailedException($"SSH connection '{settings.Id}': the key file {keyFile} could not be read: {e.Message}", e);
            }
        }

        if (settings.Password is { } password)
            methods.Add(new PasswordAuthenticationMethod(settings.User, password));
        var info = new ConnectionInfo(settings.Host, settings.Port, settings.User, [.. methods]) { Timeout = settings.ConnectTimeout };
        var askedFor = AskForKnownKeyTypes(settings, info);
        var client = new SshClient(info);
        string? refused = null;
        client.HostKeyReceived += (_, e) =>
        {
            KnownHosts.Verdict known;
            try
            {
                known = settings.PinnedFingerprint is null ? KnownHosts.Check(settings.KnownHostsFile, settings.Host, settings.Port, e.HostKey) : KnownHosts.Verdict.Unknown;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                refused = $"{settings.KnownHostsFile} could not be read to check the host key: {error.Message}";
                e.CanTrust = false;
                return;
            }

            refused = HostKeyProblem(settings, e, known);
            e.CanTrust = refused is null;
            if (refused is null && settings.PinnedFingerprint is null && known == KnownHosts.Verdict.Unknown)
                log.WriteLine($"[dagrunner] Accepting the unknown host key of {settings.Host}:{settings.Port} ({KnownHosts.KeyType(e.HostKey)} SHA256:{e.FingerPrintSHA256}) as connection '{settings.Id}' says (accept-unknown-host-key=true).");
        };
        if (settings.KeepAlive > TimeSpan.Zero)
            client.KeepAliveInterval = settings.KeepAlive;
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is SshException or SocketException or TimeoutException or ProxyException or IOException)
        {
            client.Dispose();
            var where = $"SSH to {settings.Address} (connection '{settings.Id}')";
            throw new TaskFailedException(
                refused is not null ? $"{where}: {refused}"
                : askedFor is not null && e is SshConnectionException ? $"{where}: the host offers no key of the types {settings.KnownHostsFile} holds for it ({string.Join(", ", askedFor)}): its key changed, or someone is in between: refused ({e.Message}). Remove the old line (ssh-keygen -R) only if the change was expected."
                : e is SshAuthenticationException ? $"{where}: authentication failed: {Methods(settings)} refused by the server ({e.Message})."
                : e is SocketException or TimeoutException ? $"{where}: could not connect: {e.Message}."
                : $"{where} failed: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            throw;
        }
    }

    // As OpenSSH does: a host known_hosts knows is asked only for the key types it holds for it, so a host known
    // by its ECDSA key is not refused for offering the ed25519 key this client would prefer.
    // Returns the key types asked for when the list was narrowed, null when it was not.
    private static IReadOnlySet<string>? AskForKnownKeyTypes(SshSettings settings, ConnectionInfo info)
    {
        if (settings.PinnedFingerprint is not null)
            return null;
        IReadOnlySet<string> types;
        try
        {
            types = KnownHosts.TypesFor(settings.KnownHostsFile, settings.Host, settings.Port);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // said when the key is checked
        }

        var offered = info.HostKeyAlgorithms.Keys.Where(algorithm => types.Any(type => KnownHosts.Offers(algorithm, type))).ToHashSet(StringComparer.Ordinal);
        if (offered.Count == 0)
            return null; // unknown host, or known by types this client cannot ask for: the key check says which
        foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(a => !offered.Contains(a)).ToList())
            info.HostKeyAlgorithms.Remove(algorithm);
        return types;
    }

    // Null when the key is trusted; otherwise why not, in words that say what to do.
    private static string? HostKeyProblem(SshSettings settings, HostKeyEventArgs key, KnownHosts.Verdict known)
    {
        var fingerprint = "SHA256:" + key.FingerPrintSHA256;
        var shown = $"{KnownHosts.KeyType(key.HostKey)} {fingerprint}";
        if (settings.PinnedFingerprint is { } pinned)
        {
            return string.Equals(pinned.TrimEnd('='), fingerprint, StringComparison.Ordinal)
                ? null
                : $"the host key ({shown}) is not the one the connection pins (host-key={pinned}): refused. If the host's key was changed on purpose, pin the new one.";
        }

        return known switch
        {
            KnownHosts.Verdict.Known => null,
            KnownHosts.Verdict.Changed =>
                $"the host key ({shown}) is not among the keys {settings.KnownHostsFile} holds for this host: refused (the key changed, or someone is in between). Remove the old line (ssh-keygen -R) only if the change was expected.",
            _ when settings.AcceptUnknownHostKey => null,
            _ => $"the host key ({shown}) is unknown: it is not in {settings.KnownHostsFile}. Add it (ssh-keyscan -p {settings.Port} {settings.Host} >> {settings.KnownHostsFile}, after checking the fingerprint), pin it with host-key={fingerprint}, or set accept-unknown-host-key=true on the connection for a throwaway host.",
        };
    }

    private static string Methods(SshSettings settings) =>
        settings.KeyFile is not null && settings.Password is not null ? $"the key {settings.KeyFile} and the password were"
        : settings.KeyFile is not null ? $"the key {settings.KeyFile} was"
        : "the password was";
}
