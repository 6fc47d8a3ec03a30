using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace DagRunner.Clients.Emr;

/// <summary>
/// Signs one EMR call with AWSSDK.Core's Signature V4 signer. The signer is fed an SDK request
/// (endpoint, path, headers, body) and the signing time from our <see cref="TimeProvider"/>, so a
/// retry made later is signed again with its own date, and tests can fix the clock.
/// </summary>
internal sealed class EmrSigner(string region)
{
    private readonly AWS4Signer _signer = new(signPayload: true);
    private readonly EmrSigningConfig _config = new(region);

    /// <summary>The headers to send, <c>Authorization</c> included; <c>Host</c> is left to the HTTP
    /// stack, which writes the same value the signature covers.</summary>
    public IReadOnlyDictionary<string, string> Sign(Uri endpoint, string operation, byte[] body, ImmutableCredentials credentials, DateTimeOffset signedAt)
    {
        var request = new DefaultRequest(new EmrSigningRequest(), EmrProtocol.SigningName)
        {
            HttpMethod = "POST",
            Endpoint = new Uri(endpoint.GetLeftPart(UriPartial.Authority)),
            // The endpoint's path (a local stand-in may serve EMR under /emr/) is part of what is signed.
            ResourcePath = endpoint.AbsolutePath,
            Content = body,
            AuthenticationRegion = region,
            OverrideSigningServiceName = EmrProtocol.SigningName,
        };
        request.Headers["Content-Type"] = EmrProtocol.ContentType;
        request.Headers["X-Amz-Target"] = EmrProtocol.TargetPrefix + operation;
        if (credentials.UseToken)
            request.Headers["X-Amz-Security-Token"] = credentials.Token;

        var result = _signer.SignRequest(request, _config, metrics: null, credentials.AccessKey, credentials.SecretKey, signedAt.UtcDateTime);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;
        return request.Headers
            .Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
    }
}
