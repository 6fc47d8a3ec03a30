namespace DagRunner.Hosting.Configuration;

/// <summary>The keys of <c>dagrunner.json</c>'s <c>clients</c> section and their ranges, shared by the file's
/// reader and the options validator.</summary>
internal static class ClientSettingKeys
{
    public const string RequestTimeoutSeconds = "requestTimeoutSeconds";
    public const string MaxRetries = "maxRetries";
    public const string RetryDelaySeconds = "retryDelaySeconds";
    public const string MaxRetryDelaySeconds = "maxRetryDelaySeconds";
    public const string RetryBudgetSeconds = "retryBudgetSeconds";
    public const string RequestedBy = "requestedBy";

    /// <summary>Every key, in the order the "unknown client setting" error lists them.</summary>
    public static readonly IReadOnlyList<string> All = [RequestTimeoutSeconds, MaxRetries, RetryDelaySeconds, MaxRetryDelaySeconds, RetryBudgetSeconds, RequestedBy];

    /// <summary>The shortest duration: Polly's timeout strategy refuses less than 10 ms.</summary>
    public const double MinSeconds = 0.01;

    /// <summary>The longest a request, a retry delay or the budget may be: one day, Polly's upper limit.</summary>
    public const double MaxSeconds = 86_400;

    /// <summary>At most this many retries (the clients make at least one, whatever is asked).</summary>
    public const int MaxRetriesLimit = 100;

    /// <summary>The longest <c>X-Requested-By</c> value.</summary>
    public const int MaxRequestedByLength = 200;

    public static bool IsSeconds(string key) => key is RequestTimeoutSeconds or RetryDelaySeconds or MaxRetryDelaySeconds or RetryBudgetSeconds;

    public static string? SecondsProblem(double seconds, string written) =>
        seconds is >= MinSeconds and <= MaxSeconds ? null : $"{written} is not a number of seconds from {MinSeconds} to {MaxSeconds}.";

    public static string? RetriesProblem(int retries, string written) =>
        retries is >= 1 and <= MaxRetriesLimit ? null : $"{written} is not a whole number from 1 to {MaxRetriesLimit}.";

    // The value goes into an HTTP header as it is: printable ASCII only.
    public static string? RequestedByProblem(string? value, string written) =>
        value is { Length: > 0 and <= MaxRequestedByLength } && value.All(c => c is >= ' ' and <= '~')
            ? null
            : $"{written} is not a header value (1 to {MaxRequestedByLength} printable ASCII characters).";
}
