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

    /// <summary>AWS refused the call for its rate (a throttling code, or 429) before carrying it out: the same
    /// call may be sent again after a pause, whatever it is.</summary>
    public bool IsThrottled => Status == 429 || (ErrorCode is { } code && EmrRetryRules.IsThrottling(code));

    /// <summary>No answer came, or a server error: the call may have been carried out or not; or a success whose
    /// body could not be read: it was. A caller that created something looks for it before creating it again.</summary>
    public bool MayHaveBeenCarriedOut => Status is null or >= 500 or (>= 200 and < 300);

    /// <summary>EMR could not be asked: no answer came, or a server error. Unlike <see cref="MayHaveBeenCarriedOut"/>, an
    /// answer that could not be read is not among them (asking again would not make it readable).</summary>
    public bool CouldNotBeAsked => Status is null or >= 500;

    /// <summary>
    /// Whether the same call may be sent again. Throttling (its code, or 429) always: AWS refused it before doing
    /// anything. A 5xx or no answer only for a call that creates nothing: <c>RunJobFlow</c> or <c>AddJobFlowSteps</c>
    /// may have been carried out, and sending it again would start a second cluster or step (look for it instead).
    /// </summary>
    public bool IsTransient =>
        IsThrottled || (MayHaveBeenCarriedOut && EmrRetryRules.MayRetry(Operation));
}
