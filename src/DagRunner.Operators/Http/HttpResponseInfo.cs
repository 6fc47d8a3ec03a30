namespace DagRunner.Operators;

/// <summary>What an HTTP call answered, as given to a response check.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Headers">The response headers (values joined with commas).</param>
public sealed record HttpResponseInfo(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers);
