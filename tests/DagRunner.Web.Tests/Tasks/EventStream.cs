namespace DagRunner.Web.Tests.Tasks;

/// <summary>A server-sent events stream read over real HTTP: one event (name and data) at a time.</summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<EventStream> OpenAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The next event; comments are skipped. Null when the server closed the stream.</summary>
    public async Task<(string Name, string Data)?> NextAsync(CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null || data.Count > 0)
                    return (name ?? "message", string.Join('\n', data));
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data.Add(line["data: ".Length..]);
        }

        return null;
    }

    /// <summary>Reads events until one that <paramref name="wanted"/> accepts, which it returns.</summary>
    public async Task<(string Name, string Data)> UntilAsync(Func<string, string, bool> wanted, CancellationToken cancellationToken)
    {
        while (await NextAsync(cancellationToken) is { } next)
        {
            if (wanted(next.Name, next.Data))
                return next;
        }

        throw new InvalidOperationException("The stream ended before the event came.");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
