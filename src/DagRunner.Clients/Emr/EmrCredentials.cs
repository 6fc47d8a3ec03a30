namespace DagRunner.Clients.Emr;

/// <summary>Explicit AWS credentials: an access key id, its secret and, for temporary credentials, a
/// session token. <see cref="ToString"/> shows the key id only; the secret and token never leave.</summary>
public sealed class EmrCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null)
{
    public string AccessKeyId { get; } = string.IsNullOrWhiteSpace(accessKeyId) ? throw new ArgumentException("An access key id is required.", nameof(accessKeyId)) : accessKeyId;

    public string SecretAccessKey { get; } = string.IsNullOrWhiteSpace(secretAccessKey) ? throw new ArgumentException("A secret access key is required.", nameof(secretAccessKey)) : secretAccessKey;

    public string? SessionToken { get; } = sessionToken;

    public override string ToString() => $"AWS credentials {AccessKeyId} (secret ***{(SessionToken is null ? "" : ", session token ***")})";
}
