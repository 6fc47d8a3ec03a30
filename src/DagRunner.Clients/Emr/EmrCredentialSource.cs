using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace DagRunner.Clients.Emr;

/// <summary>The credentials each attempt is signed with: the caller's explicit ones, or whatever
/// AWSSDK.Core's default chain finds (environment, shared profile, container or instance metadata).
/// The chain caches and refreshes temporary credentials itself, so asking per attempt is cheap and a
/// retry after expiry gets fresh ones.</summary>
internal sealed class EmrCredentialSource(EmrCredentials? explicitCredentials, IClientConfig config)
{
    public async Task<ImmutableCredentials> GetAsync(string operation, CancellationToken cancellationToken)
    {
        if (explicitCredentials is { } given)
            return new ImmutableCredentials(given.AccessKeyId, given.SecretAccessKey, given.SessionToken);
        try
        {
            var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
            return await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // The SDK's message lists the sources it tried; it holds no secret (it found none).
            throw new EmrException(
                $"EMR {operation}: no AWS credentials: EmrOptions.Credentials is not set and AWSSDK.Core's default chain (environment, profile, instance metadata) found none ({e.Message}).",
                operation, inner: e);
        }
    }
}
