namespace DagRunner.Clients.Emr;

/// <summary>Which answers AWS's SDKs retry, and which EMR operations may be repeated at all.</summary>
internal static class EmrRetryRules
{
    // The throttling codes of the AWS SDKs' standard retry mode.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    // Calls that create something: a repeat after a lost answer would create it twice. The caller
    // records ids and, after a lost answer, looks for its step by name with ListSteps.
    private static readonly HashSet<string> NeverRetried = new(StringComparer.Ordinal) { "RunJobFlow", "AddJobFlowSteps" };

    public static bool IsThrottling(string errorCode) => ThrottlingCodes.Contains(errorCode);

    public static bool MayRetry(string operation) => !NeverRetried.Contains(operation);

    /// <summary>An answer worth another attempt: throttling (by code, or 429) or a 5xx.</summary>
    public static bool IsRetryable(EmrAnswer answer) =>
        answer.Status is >= 500 or 429 || (answer.Status >= 400 && answer.Error is { Code: { } code } && IsThrottling(code));
}
