namespace DagRunner.Clients.Http;

/// <summary>How the clients retry and wait. Defaults suit a cluster's Livy and ResourceManager.</summary>
public sealed record ClientOptions
{
    /// <summary>Longest wait for one request's answer (a server that accepts and stays silent fails the
    /// request with "got no answer within 60 s (ClientOptions.RequestTimeout)"). Default 60 s (Livy's DELETE can take a while).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of an idempotent request (GET) after a connection error, a timeout, 429 or a 5xx. Default 6.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First retry delay; later ones grow exponentially, with jitter. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between two retries. Default 15 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Total time one GET may take, retries included ("got no usable answer within 120 s
    /// (ClientOptions.RetryBudget)"). Default 2 min.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The <c>X-Requested-By</c> value sent with every request (Livy's CSRF filter wants the header). Default <c>dagrunner</c>.</summary>
    public string RequestedBy { get; init; } = "dagrunner";

    /// <summary>Clock for retry delays and the budget. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
