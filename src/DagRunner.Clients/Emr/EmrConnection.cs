using DagRunner.Clients.Connections;

namespace DagRunner.Clients.Emr;

/// <summary>
/// The options of an EMR client from an <c>aws://</c> connection:
/// <c>aws://[ACCESS_KEY_ID:SECRET_ACCESS_KEY@]REGION[?session-token=...&amp;endpoint=URL]</c>. The host is the
/// region (<c>aws://eu-west-1</c>); without keys, AWSSDK.Core's default chain finds the credentials
/// (environment, shared profile, container or instance metadata), as the AWS CLI does. A secret key holding
/// <c>/</c> or <c>+</c> is percent-encoded (<c>%2F</c>, <c>%2B</c>). <c>endpoint</c> overrides EMR's regional
/// endpoint (a VPC endpoint, or LocalLivy's EMR endpoint).
/// </summary>
public static class EmrConnection
{
    /// <summary>The scheme of an AWS connection.</summary>
    public const string Scheme = "aws";

    /// <summary>The options <paramref name="connection"/> describes.</summary>
    /// <exception cref="ConnectionException">It is not an <c>aws://</c> connection, or its parts do not fit.</exception>
    public static EmrOptions Options(Connection connection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        if (connection.BaseUri.Scheme != Scheme)
            throw new ConnectionException($"The connection '{connection.Id}' is a {connection.BaseUri.Scheme}:// connection; EMR needs aws://REGION (for example aws://eu-west-1, keys as user and password, or none for the default AWS chain).");
        var region = connection.BaseUri.Host;
        var sessionToken = connection.Extras.GetValueOrDefault("session-token");
        if (connection.UserName is not null && string.IsNullOrEmpty(connection.Password))
            throw new ConnectionException($"Connection '{connection.Id}': the access key id {connection.UserName} is given without its secret (aws://KEY_ID:SECRET@{region}).");
        if (connection.UserName is null && sessionToken is not null)
            throw new ConnectionException($"Connection '{connection.Id}': a session-token is given without the access key id and secret it belongs to.");
        Uri? endpoint = null;
        if (connection.Extras.GetValueOrDefault("endpoint") is { } text &&
            (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            throw new ConnectionException($"Connection '{connection.Id}': endpoint '{text}' is not an absolute http(s) URL.");
        return new EmrOptions
        {
            Region = region,
            Endpoint = endpoint,
            Credentials = connection.UserName is { } keyId ? new EmrCredentials(keyId, connection.Password!, sessionToken) : null,
            TimeProvider = time,
        };
    }
}
