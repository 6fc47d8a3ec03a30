using DagRunner.Clients.Http;

namespace DagRunner.Hosting.Configuration;

/// <summary>
/// How the Livy, Spark, YARN and WebHDFS clients wait and retry: <c>dagrunner.json</c>'s <c>clients</c> section.
/// Defaults are <see cref="ClientOptions"/>'s. Per-task waits (a batch's <c>VerifyTimeout</c>, <c>UnreachableTimeout</c>)
/// are the operators' properties, set in DAG files.
/// </summary>
public sealed class DagRunnerClientOptions
{
    private static readonly ClientOptions Defaults = new();

    /// <summary>Longest wait for one request's answer, in seconds (0.01 to 86,400). Default 60; <c>requestTimeoutSeconds</c>.</summary>
    public double RequestTimeoutSeconds { get; set; } = Defaults.RequestTimeout.TotalSeconds;

    /// <summary>Retries of an idempotent request (GET) after a connection error, a timeout, 429 or a 5xx (1 to 100). Default 6; <c>maxRetries</c>.</summary>
    public int MaxRetries { get; set; } = Defaults.MaxRetries;

    /// <summary>First retry delay in seconds, growing exponentially with jitter (0.01 to 86,400, at most
    /// <see cref="MaxRetryDelaySeconds"/>). Default 0.5; <c>retryDelaySeconds</c>.</summary>
    public double RetryDelaySeconds { get; set; } = Defaults.RetryDelay.TotalSeconds;

    /// <summary>Longest delay between two retries, in seconds (0.01 to 86,400). Default 15; <c>maxRetryDelaySeconds</c>.</summary>
    public double MaxRetryDelaySeconds { get; set; } = Defaults.MaxRetryDelay.TotalSeconds;

    /// <summary>Total time one GET may take, retries included, in seconds (0.01 to 86,400). Default 120; <c>retryBudgetSeconds</c>.</summary>
    public double RetryBudgetSeconds { get; set; } = Defaults.RetryBudget.TotalSeconds;

    /// <summary>The <c>X-Requested-By</c> header (Livy's CSRF filter wants one): 1 to 200 printable ASCII characters.
    /// Default <c>dagrunner</c>; <c>requestedBy</c>.</summary>
    public string RequestedBy { get; set; } = Defaults.RequestedBy;

    /// <summary>The clients' options; the host sets their clock.</summary>
    internal ClientOptions ToClientOptions() => new()
    {
        RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
        MaxRetries = MaxRetries,
        RetryDelay = TimeSpan.FromSeconds(RetryDelaySeconds),
        MaxRetryDelay = TimeSpan.FromSeconds(MaxRetryDelaySeconds),
        RetryBudget = TimeSpan.FromSeconds(RetryBudgetSeconds),
        RequestedBy = RequestedBy,
    };
}
