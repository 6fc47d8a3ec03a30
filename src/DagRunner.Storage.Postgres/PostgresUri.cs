using System.Globalization;
using DagRunner.Engine.Storage;
using Npgsql;

namespace DagRunner.Storage.Postgres;

/// <summary>
/// The store's address as users write it, <c>postgres://user:password@host:port/database?sslmode=require</c>
/// (<c>postgresql://</c> too, as libpq takes it), turned into an Npgsql connection string. Extras: <c>sslmode</c>,
/// <c>pool</c> (the largest pool per process; default 20), <c>timeout</c> (seconds to connect; default 15),
/// <c>application_name</c>. <see cref="Masked"/> is the URI with the password hidden, for every message.
/// </summary>
public static class PostgresUri
{
    /// <summary>The connection string of <paramref name="uri"/>.</summary>
    /// <exception cref="RunStoreException">The URI is not a postgres:// one, or an extra is wrong; the message masks the password.</exception>
    public static string ConnectionString(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("postgres" or "postgresql") || parsed.Host.Length == 0)
            throw new RunStoreException($"The store '{Masked(uri)}' is not a postgres://user:password@host:port/database URI.");
        var database = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw new RunStoreException($"The store '{Masked(uri)}' names no database: postgres://user:password@host:port/database.");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = database,
            MaxPoolSize = 20,
            Timeout = 15,
            ApplicationName = "dagrunner",
            // The same few statements run thousands of times (claims, outcomes): prepared on their second use, so
            // PostgreSQL plans them once per connection, not on every call.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // DagRunner changes no session state, so a pooled connection needs no reset on its way back.
            NoResetOnClose = true,
        };
        var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (parsed.UserInfo.Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new RunStoreException($"The store '{Masked(uri)}': sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full.");
                    break;
                case "pool":
                    builder.MaxPoolSize = Positive(uri, key, value);
                    break;
                case "timeout":
                    builder.Timeout = Positive(uri, key, value);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new RunStoreException($"The store '{Masked(uri)}': unknown extra '{key}' (sslmode, pool, timeout, application_name).");
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The URI with everything between the user's ':' and the last '@' replaced by <c>***</c>.</summary>
    public static string Masked(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.LastIndexOf('@');
        if (start < 0 || at < start)
            return uri;
        var colon = uri.IndexOf(':', start + 3);
        return colon < 0 || colon > at ? uri : string.Concat(uri.AsSpan(0, colon + 1), "***", uri.AsSpan(at));
    }

    private static int Positive(string uri, string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new RunStoreException($"The store '{Masked(uri)}': {key} must be a positive whole number, not '{value}'.");
}
