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
        object[] segments = ["webhdfs", "v1", .. path.Split('/', StringSplitOptions.RemoveEmptyEntries)];
        var answer = await transport.GetAsync(segments, [("op", "GETFILESTATUS"), ("user.name", transport.Connection.HadoopUser)], cancellationToken).ConfigureAwait(false);
        if (answer.Status == 404 && IsFileNotFound(answer.Body))
            return null;
        return transport.Read(answer, ClientJson.Default.HdfsFileStatusAnswer).FileStatus;
    }

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
