using System.Security.Cryptography;
using System.Text;

namespace DagRunner.Operators.Ssh;

/// <summary>
/// OpenSSH's <c>known_hosts</c>, read to decide whether a host's key is trusted: plain host patterns
/// (<c>host</c>, <c>[host]:port</c>, comma-separated) and hashed ones (<c>|1|salt|hash</c>, HMAC-SHA1 of the
/// name). Wildcards, markers (<c>@revoked</c>, <c>@cert-authority</c>) and negations are skipped.
/// </summary>
internal static class KnownHosts
{
    /// <summary>What the file says of the host's key.</summary>
    public enum Verdict
    {
        /// <summary>A line for the host holds this key.</summary>
        Known,

        /// <summary>The host has lines of this key type, none with this key: it changed, or someone is in between.</summary>
        Changed,

        /// <summary>No line is about this host (or this key type).</summary>
        Unknown,
    }

    /// <summary>What <paramref name="file"/> says of <paramref name="key"/> (the wire blob) for the host. The key's
    /// type is read from the blob, not from the negotiated algorithm (<c>rsa-sha2-512</c> is an <c>ssh-rsa</c> key).
    /// A host known by other keys only is <see cref="Verdict.Changed"/>, as OpenSSH refuses it: accepting unknown
    /// hosts never lets a different key in.</summary>
    public static Verdict Check(string file, string host, int port, byte[] key)
    {
        if (!File.Exists(file))
            return Verdict.Unknown;
        var name = Name(host, port);
        var keyType = KeyType(key);
        var blob = Convert.ToBase64String(key);
        var sawHost = false;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '@')
                continue;
            var parts = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !Matches(parts[0], name))
                continue;
            if (parts[1] == keyType && parts[2] == blob)
                return Verdict.Known;
            sawHost = true;
        }

        return sawHost ? Verdict.Changed : Verdict.Unknown;
    }

    /// <summary>The key types the file holds for the host (empty when it does not know it).</summary>
    public static IReadOnlySet<string> TypesFor(string file, string host, int port)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(file))
            return types;
        var name = Name(host, port);
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '@')
                continue;
            var parts = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && Matches(parts[0], name))
                types.Add(parts[1]);
        }

        return types;
    }

    /// <summary>Whether the host key algorithm <paramref name="algorithm"/> offers a key of type <paramref name="keyType"/>
    /// (an <c>ssh-rsa</c> key is offered as <c>rsa-sha2-512</c> and <c>rsa-sha2-256</c> too).</summary>
    public static bool Offers(string algorithm, string keyType) =>
        algorithm == keyType || (keyType == "ssh-rsa" && algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal));

    private static string Name(string host, int port)
    {
        host = host.Trim('[', ']').ToLowerInvariant();
        return port == 22 ? host : $"[{host}]:{port}";
    }

    /// <summary>The key's type, the first string of its wire form (<c>ssh-ed25519</c>, <c>ssh-rsa</c>).</summary>
    public static string KeyType(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 4)
            return "";
        var length = (key[0] << 24) | (key[1] << 16) | (key[2] << 8) | key[3];
        return length > 0 && length <= key.Length - 4 ? Encoding.ASCII.GetString(key, 4, length) : "";
    }

    private static bool Matches(string patterns, string name)
    {
        foreach (var pattern in patterns.Split(','))
        {
            if (pattern.StartsWith("|1|", StringComparison.Ordinal))
            {
                var pieces = pattern.Split('|');
                if (pieces.Length != 4)
                    continue;
                try
                {
#pragma warning disable CA5350 // OpenSSH hashes known_hosts names with HMAC-SHA1: matching its lines needs the same
                    var hash = HMACSHA1.HashData(Convert.FromBase64String(pieces[2]), Encoding.UTF8.GetBytes(name));
#pragma warning restore CA5350
                    if (Convert.ToBase64String(hash) == pieces[3])
                        return true;
                }
                catch (FormatException)
                {
                    // a damaged line: not this host
                }
            }
            else if (string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
