using System.Collections.Immutable;
using System.Globalization;

namespace DagRunner.Clients.Connections;

/// <summary>
/// A remote service's address and how to talk to it, parsed from a connection URI (<c>http</c> and
/// <c>https</c> for the REST services; <c>ssh</c> for an SSH host, <c>spark-submit</c> for spark-submit's
/// settings and <c>aws</c> for an AWS region and its credentials, whose extras their operators read)
/// <c>scheme://[user:password@]host:port[/path][?extra=value]</c>. The path is a prefix for every
/// request (a Knox gateway's <c>/gateway/default/livy/v1</c>). Extras: <c>auth</c>
/// (<c>basic</c>, <c>bearer</c>, <c>negotiate</c>, <c>none</c>; default basic when a user is given),
/// <c>token</c>, <c>ca</c> (a PEM file of trusted CAs), <c>insecure=true</c> (no TLS checks: warned
/// about), <c>user.name</c> (YARN/WebHDFS simple auth), <c>header.&lt;Name&gt;=value</c>.
/// <see cref="ToString"/> masks the password and the token.
/// </summary>
public sealed record Connection
{
    private const string Mask = "***";

    /// <summary>The connection's id, e.g. <c>livy_default</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Scheme, host, port and path prefix; no credentials, no query; ends with a slash.</summary>
    public required Uri BaseUri { get; init; }

    public ConnectionAuth Auth { get; init; }
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public string? Token { get; init; }

    /// <summary>The user for Hadoop's simple auth (<c>?user.name=</c>), from the <c>user.name</c> extra or the URI's user.</summary>
    public string? HadoopUser { get; init; }

    /// <summary>A PEM file of CA certificates to trust besides the system's.</summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>Skip TLS certificate checks. For test clusters only; the client warns when it is on.</summary>
    public bool Insecure { get; init; }

    /// <summary>Extra headers sent with every request.</summary>
    public ImmutableSortedDictionary<string, string> Headers { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Extras this library does not interpret, for the operators that do.</summary>
    public ImmutableSortedDictionary<string, string> Extras { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Whether the connection is an HTTP service's (<c>http</c> or <c>https</c>).</summary>
    public bool IsHttp => BaseUri.Scheme is "http" or "https";

    /// <summary>Parses a connection URI.</summary>
    /// <exception cref="ConnectionException">The URI is malformed; the message names the connection.</exception>
    public static Connection Parse(string id, string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        // The shape is checked as text first: System.Uri reads a '#', '/' or '?' in a password as the end of
        // the host, and would quietly take part of the password for a host and port.
        var problem = ConnectionUri.Problem(uri.Trim());
        if (problem is not null || !Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) || !ConnectionUri.Schemes.Contains(parsed.Scheme) || parsed.Host.Length == 0)
            throw new ConnectionException($"Connection '{id}': '{MaskUri(uri)}' is not an http://, https://, ssh://, spark-submit:// or aws:// URI: {problem ?? "it does not parse"} (expected scheme://[user:password@]host:port[/path][?extra=value]).");

        var (user, password) = UserInfo(parsed);
        var extras = Query(id, parsed.Query);
        var headers = extras.Where(p => p.Key.StartsWith("header.", StringComparison.OrdinalIgnoreCase))
            .ToImmutableSortedDictionary(p => p.Key["header.".Length..], p => p.Value, StringComparer.OrdinalIgnoreCase);
        string? Take(string key) => extras.TryGetValue(key, out var value) ? value : null;

        var token = Take("token");
        var auth = Take("auth")?.ToLowerInvariant() switch
        {
            null => token is not null ? ConnectionAuth.Bearer : user is not null ? ConnectionAuth.Basic : ConnectionAuth.None,
            "none" => ConnectionAuth.None,
            "basic" => ConnectionAuth.Basic,
            "bearer" => ConnectionAuth.Bearer,
            "negotiate" or "kerberos" or "spnego" => ConnectionAuth.Negotiate,
            var other => throw new ConnectionException($"Connection '{id}': unknown auth '{other}' (none, basic, bearer or negotiate)."),
        };
        if (auth == ConnectionAuth.Bearer && token is null)
            throw new ConnectionException($"Connection '{id}': auth=bearer needs a token extra (?token=...).");
        if (auth == ConnectionAuth.Basic && user is null)
            throw new ConnectionException($"Connection '{id}': auth=basic needs a user in the URI (http://user:password@host:port).");

        var insecure = Take("insecure") is { } flag && (bool.TryParse(flag, out var on) ? on : throw new ConnectionException($"Connection '{id}': insecure must be true or false."));
        var known = new HashSet<string>(["auth", "token", "ca", "insecure", "user.name"], StringComparer.OrdinalIgnoreCase);
        var builder = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port, parsed.AbsolutePath.EndsWith('/') ? parsed.AbsolutePath : parsed.AbsolutePath + "/");
        return new Connection
        {
            Id = id,
            BaseUri = builder.Uri,
            Auth = auth,
            UserName = user,
            Password = password,
            Token = token,
            HadoopUser = Take("user.name") ?? user,
            CaCertificateFile = Take("ca"),
            Insecure = insecure,
            Headers = headers,
            Extras = extras.Where(p => !known.Contains(p.Key) && !p.Key.StartsWith("header.", StringComparison.OrdinalIgnoreCase))
                .ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>The URI with the password and token masked: safe for logs, previews and errors.</summary>
    public override string ToString()
    {
        var user = UserName is null ? "" : Uri.EscapeDataString(UserName) + (Password is null ? "" : ":" + Mask) + "@";
        var extras = new List<string>();
        if (Auth is ConnectionAuth.Negotiate)
            extras.Add("auth=negotiate");
        if (Token is not null)
            extras.Add("token=" + Mask);
        if (Insecure)
            extras.Add("insecure=true");
        var query = extras.Count == 0 ? "" : "?" + string.Join('&', extras);
        return $"{BaseUri.Scheme}://{user}{BaseUri.Authority}{BaseUri.AbsolutePath}{query}";
    }

    /// <summary>Masks the password, tokens, secret extras and header values of a URI that could not be
    /// parsed, for an error message. The user info ends at the last <c>@</c>, since a password may hold
    /// an <c>@</c>; of a URI too broken to tell, more is masked, never less.</summary>
    public static string MaskUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ConnectionUri.Masked(uri);
    }

    /// <summary>The secrets <paramref name="uri"/> holds as written and decoded (password, token, secret
    /// extras, header values), whether or not it parses: for a masker to hide them wherever they appear.</summary>
    public static IReadOnlyList<string> SecretsOf(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return [.. ConnectionUri.Secrets(uri.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    private static (string? User, string? Password) UserInfo(Uri uri)
    {
        if (uri.UserInfo.Length == 0)
            return (null, null);
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(uri.UserInfo), null)
            : (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
    }

    private static ImmutableSortedDictionary<string, string> Query(string id, string query)
    {
        var extras = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            if (!extras.TryAdd(key, value))
                throw new ConnectionException(string.Create(CultureInfo.InvariantCulture, $"Connection '{id}': the extra '{key}' is given twice."));
        }

        return extras.ToImmutable();
    }
}
