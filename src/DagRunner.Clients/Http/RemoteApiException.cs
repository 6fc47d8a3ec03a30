namespace DagRunner.Clients.Http;

/// <summary>A remote API answered something other than what it documents (an error status, HTML,
/// malformed JSON, a missing field) or did not answer. The message says which call, what came back
/// (quoted, shortened) and never holds credentials.</summary>
public sealed class RemoteApiException : Exception
{
    public RemoteApiException(string message, int? status = null, string? detail = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Detail = detail;
    }

    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? Status { get; }

    /// <summary>The server's own error message, taken from whichever body shape it used.</summary>
    public string? Detail { get; }
}
