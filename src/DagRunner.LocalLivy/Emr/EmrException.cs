namespace DagRunner.LocalLivy.Emr;

/// <summary>An AWS JSON 1.1 error: its <c>__type</c>, message and HTTP status. Thrown inside an
/// operation, answered by <see cref="EmrEndpoints"/>; nothing else catches it.</summary>
internal sealed class EmrException(string type, string message, int status = 400) : Exception(message)
{
    public string Type { get; } = type;
    public int Status { get; } = status;

    public static EmrException Validation(string message) => new("ValidationException", message);

    /// <summary>EMR's answer to an id it does not know.</summary>
    public static EmrException InvalidRequest(string message) => new("InvalidRequestException", message);
}
