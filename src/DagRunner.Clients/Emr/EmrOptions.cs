namespace DagRunner.Clients.Emr;

/// <summary>Where and how <see cref="EmrClient"/> talks to Amazon EMR.</summary>
public sealed record EmrOptions
{
    /// <summary>The AWS region, such as <c>eu-west-1</c>: it names the default endpoint and is part
    /// of every signature. Required; no default.</summary>
    public string Region { get; init; } = "";

    /// <summary>The EMR endpoint to POST to. Default <c>https://elasticmapreduce.{Region}.amazonaws.com/</c>;
    /// a local stand-in may serve EMR under a path (<c>http://127.0.0.1:8998/emr/</c>).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Explicit credentials. Default null: AWSSDK.Core's default chain (environment
    /// variables, the shared profile, container and instance metadata).</summary>
    public EmrCredentials? Credentials { get; init; }

    /// <summary>Longest wait for one answer. Default 60 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a read or an idempotent call after throttling, a 5xx or a connection failure.
    /// <c>RunJobFlow</c> and <c>AddJobFlowSteps</c> are never retried. Default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First retry delay; later ones grow exponentially, with jitter. Default 1 s (throttling
    /// wants a real pause).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two retries. Default 20 s (AWS's SDKs cap their backoff there).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Clock for signing dates, retry delays and request timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The endpoint in use: <see cref="Endpoint"/> or the region's.</summary>
    public Uri ResolvedEndpoint => Endpoint ?? EmrProtocol.DefaultEndpoint(Region);

    /// <summary>Fails with what is wrong when the options cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Region))
            throw new ArgumentException("EmrOptions.Region is required (for example eu-west-1): it is part of every signature.");
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
            throw new ArgumentException($"EmrOptions.Endpoint must be an absolute http(s) URL, not '{endpoint}'.");
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException("EmrOptions.RequestTimeout must be positive.");
        if (MaxRetries < 0)
            throw new ArgumentException("EmrOptions.MaxRetries cannot be negative.");
    }
}
