namespace DagRunner.Clients.Emr;

/// <summary>An EMR call failed: EMR answered an error (<see cref="ErrorCode"/> such as
/// <c>ValidationException</c>, with its message), answered something unreadable, or did not answer.
/// The message names the operation and the endpoint; it never holds credentials.</summary>
public sealed class EmrException : Exception
{
    public EmrException(string message, string operation, int? status = null, string? errorCode = null, string? serverMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
        ServerMessage = serverMessage;
    }

    /// <summary>The EMR operation, such as <c>DescribeStep</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? Status { get; }

    /// <summary>AWS's error code without its namespace (<c>ValidationException</c>), when EMR gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>EMR's own message, when it gave one.</summary>
    public string? ServerMessage { get; }

    /// <summary>
    /// Whether the same call may be sent again. Throttling (its code, or 429) always: AWS refused it before doing
    /// anything. A 5xx or no answer only for a call that creates nothing: <c>RunJobFlow</c> or <c>AddJobFlowSteps</c>
    /// may have been carried out, and sending it again would start a second cluster or step (look for it instead).
    /// </summary>
    public bool IsTransient =>
        Status == 429 || (ErrorCode is { } code && EmrRetryRules.IsThrottling(code))
        || (Status is null or >= 500 && EmrRetryRules.MayRetry(Operation));
}
