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

    /// <summary>AWS's rules call this worth retrying: throttling, a 5xx, or no answer at all.</summary>
    public bool IsTransient => ErrorCode is { } code ? EmrRetryRules.IsThrottling(code) || Status >= 500 : Status is null or >= 500;
}
