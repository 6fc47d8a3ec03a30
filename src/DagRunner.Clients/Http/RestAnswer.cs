namespace DagRunner.Clients.Http;

/// <summary>What came back: status, body and content type, with the call it answered.</summary>
public sealed record RestAnswer(string Method, string Url, int Status, string Body, string? MediaType)
{
    /// <summary>The response headers, values of a repeated header joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool IsSuccess => Status is >= 200 and < 300;
}
