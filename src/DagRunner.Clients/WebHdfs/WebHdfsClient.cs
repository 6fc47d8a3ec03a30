using System.Text.Json;
using DagRunner.Clients.Http;

namespace DagRunner.Clients.WebHdfs;

/// <summary>WebHDFS (reference §6): what a file sensor needs.</summary>
public sealed class WebHdfsClient(RestTransport transport)
{
    public RestTransport Transport => transport;

    /// <summary><c>GETFILESTATUS</c>; null when the path does not exist (a 404
    /// <c>FileNotFoundException</c>). Any other error is an error, not a "no".</summary>
    public async Task<HdfsFileStatus?> GetFileStatusAsync(string path, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(Segments(path), Query("GETFILESTATUS"), cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404 && IsFileNotFound(answer.Body))
            return null;
        return transport.Read(answer, ClientJson.Default.HdfsFileStatusAnswer).FileStatus;
    }

    /// <summary><c>LISTSTATUS</c>: a folder's entries (a file lists itself); null when the path does not exist.</summary>
    public async Task<IReadOnlyList<HdfsFileStatus>?> ListStatusAsync(string path, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(Segments(path), Query("LISTSTATUS"), cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404 && IsFileNotFound(answer.Body))
            return null;
        return transport.Read(answer, ClientJson.Default.HdfsFileStatusesAnswer).FileStatuses.FileStatus;
    }

    /// <summary><c>OPEN</c>: the file's text (following the NameNode's redirect); null when it does not exist.</summary>
    public async Task<string?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var answer = await transport.GetAsync(Segments(path), Query("OPEN"), cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404 && IsFileNotFound(answer.Body))
            return null;
        return answer.IsSuccess ? answer.Body : throw transport.Failure(answer);
    }

    /// <summary><c>MKDIRS</c>: true when the folder exists afterwards.</summary>
    public async Task<bool> MkdirsAsync(string path, CancellationToken cancellationToken) =>
        await BooleanAsync(HttpMethod.Put, path, "MKDIRS", [], cancellationToken).ConfigureAwait(false);

    /// <summary><c>DELETE</c>: false when there was nothing to delete.</summary>
    public async Task<bool> DeleteAsync(string path, bool recursive, CancellationToken cancellationToken) =>
        await BooleanAsync(HttpMethod.Delete, path, "DELETE", [("recursive", recursive ? "true" : "false")], cancellationToken).ConfigureAwait(false);

    /// <summary><c>CREATE</c> in WebHDFS's two steps: the NameNode names where to write
    /// (<c>noredirect=true</c>), then the data goes there. Sent once each: a write is not repeated blindly.</summary>
    public async Task CreateAsync(string path, string content, bool overwrite, CancellationToken cancellationToken)
    {
        var first = await transport.SendAsync<object>(HttpMethod.Put, Segments(path), [.. Query("CREATE"), ("overwrite", overwrite ? "true" : "false"), ("noredirect", "true")], null, null, cancellationToken).ConfigureAwait(false);
        var location = transport.Read(first, ClientJson.Default.HdfsLocationAnswer).Location;
        var second = await transport.CallAsync(HttpMethod.Put, location, content, new Dictionary<string, string> { ["Content-Type"] = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
        if (!second.IsSuccess)
            throw transport.Failure(second);
    }

    private async Task<bool> BooleanAsync(HttpMethod method, string path, string op, (string, object?)[] extra, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync<object>(method, Segments(path), [.. Query(op), .. extra], null, null, cancellationToken).ConfigureAwait(false);
        return transport.Read(answer, ClientJson.Default.HdfsBooleanAnswer).Value;
    }

    private static object[] Segments(string path) => ["webhdfs", "v1", .. path.Split('/', StringSplitOptions.RemoveEmptyEntries)];

    private (string, object?)[] Query(string op) => [("op", op), ("user.name", transport.Connection.HadoopUser)];

    // Key on the exception name, not the message: wording differs between versions.
    private static bool IsFileNotFound(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("RemoteException", out var remote) &&
                remote.TryGetProperty("exception", out var exception) &&
                exception.GetString() == "FileNotFoundException";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
