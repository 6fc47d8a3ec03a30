using System.Text.RegularExpressions;

namespace DagRunner.Clients.Connections;

/// <summary>
/// Reads a connection URI as text, before and besides <see cref="Uri"/>: what is wrong with its shape,
/// and where its secrets are, so that an error about a malformed URI can quote it with the password
/// masked. The user info ends at the last <c>@</c>, since a password may hold one, and the password
/// starts after the first <c>:</c> of the user info: of a URI too broken to tell, more is masked, never less.
/// </summary>
internal static partial class ConnectionUri
{
    private const string Mask = "***";

    /// <summary>The schemes a connection may have: HTTP services, an SSH host, spark-submit's settings, and AWS
    /// (a region, its credentials and an endpoint override).</summary>
    public static readonly string[] Schemes = ["http", "https", "ssh", "spark-submit", "aws"];

    /// <summary>What is wrong with the URI's shape, in words that name the part; null when it looks right.</summary>
    public static string? Problem(string uri)
    {
        var separator = uri.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return SchemeWithoutColon().Match(uri) is { Success: true } slashes
                ? $"the scheme '{slashes.Groups[1].Value}' is not followed by '://' (a ':' is missing)"
                : SchemeWithColon().Match(uri) is { Success: true } colon
                    ? $"the scheme '{colon.Groups[1].Value}' is not followed by '://'"
                    : "there is no scheme (http://, https://, ssh://, spark-submit:// or aws://)";
        }

        var scheme = uri[..separator];
        if (!Schemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            return $"the scheme '{(SchemeName().IsMatch(scheme) ? scheme : "?")}' is not http, https, ssh, spark-submit or aws";

        var rest = uri[(separator + 3)..];
        var at = rest.LastIndexOf('@');
        if (at >= 0 && !InQueryValue(rest, at) && rest.IndexOfAny(['/', '?', '#']) is var reserved and >= 0 && reserved < at)
        {
            var c = rest[reserved];
            return $"the user info (before the last '@') holds a '{c}': percent-encode it in the password as {Escaped(c)}";
        }

        if (uri.Contains('#', StringComparison.Ordinal))
            return "it holds a '#' (a connection URI has no fragment): percent-encode a '#' in a password or a value as %23";
        var host = at >= 0 && !InQueryValue(rest, at) ? rest[(at + 1)..] : rest;
        if (host.Length == 0 || host[0] is '/' or '?' or ':')
            return "there is no host";
        return null;
    }

    /// <summary>The URI with its password, tokens, secret extras and header values masked.</summary>
    public static string Masked(string uri)
    {
        var masked = uri;
        if (Password(uri) is { } password)
            masked = string.Concat(uri.AsSpan(0, password.Start), Mask, uri.AsSpan(password.Start + password.Length));
        return SecretExtras().Replace(masked, match => match.Groups[1].Value + Mask);
    }

    /// <summary>The secret parts of the URI as written (password, token, secret extras, header values),
    /// decoded too: for a masker to hide wherever they appear, even when the URI does not parse.</summary>
    public static IEnumerable<string> Secrets(string uri)
    {
        if (Password(uri) is { } password)
        {
            var raw = uri.Substring(password.Start, password.Length);
            yield return raw;
            yield return Unescaped(raw);
        }

        foreach (Match match in SecretExtras().Matches(uri))
        {
            // Every header value is masked in an error, but only a secret one is hidden everywhere.
            if (!SecretName().IsMatch(match.Groups[1].Value))
                continue;
            var raw = uri[(match.Index + match.Groups[1].Length)..(match.Index + match.Length)];
            yield return raw;
            yield return Unescaped(raw.Replace('+', ' '));
        }
    }

    // After "scheme://", or after "scheme//" or "scheme:" when the URI is malformed that way.
    private static int AuthorityStart(string uri)
    {
        var separator = uri.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
            return separator + 3;
        var slashes = uri.IndexOf("//", StringComparison.Ordinal);
        return slashes >= 0 ? slashes + 2 : 0;
    }

    private static (int Start, int Length)? Password(string uri)
    {
        var start = AuthorityStart(uri);
        var at = uri.LastIndexOf('@');
        if (at < start)
            return null;
        var colon = uri.IndexOf(':', start, at - start);
        return colon < 0 ? null : (colon + 1, at - colon - 1);
    }

    // An '@' in the value of a query extra (`user.name=bob@corp`) does not end a user info.
    private static bool InQueryValue(string rest, int at)
    {
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && query < at && rest.IndexOf('=', query, at - query) >= 0 && rest.IndexOf('#', 0, at) < 0;
    }

    private static string Escaped(char c) => Uri.EscapeDataString(c.ToString());

    private static string Unescaped(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)//")]
    private static partial Regex SchemeWithoutColon();

    [GeneratedRegex("^(https?):/?(?!/)", RegexOptions.IgnoreCase)]
    private static partial Regex SchemeWithColon();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*$")]
    private static partial Regex SchemeName();

    [GeneratedRegex("token|pass(word|wd)?|secret|api[_-]?key|credential|authorization|cookie", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Values of extras whose names say they are secret, and of every header: up to the next '&'.
    [GeneratedRegex(@"((?:^|[?&])(?:[^=&?#]*(?:token|pass(?:word|wd)?|secret|api[_-]?key|credential|authorization)[^=&?#]*|header\.[^=&]*)=)[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretExtras();
}
