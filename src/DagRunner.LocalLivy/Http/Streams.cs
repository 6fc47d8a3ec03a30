using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Http;

/// <summary>Files sent as they are read, never whole in memory: WebHDFS files can be gigabytes,
/// and a driver log may still be growing while it is read. The length is announced, as a
/// datanode announces it.</summary>
internal static class Streams
{
    public static IResult FileRange(string path, long offset, long length, string contentType) =>
        new FileRangeResult(path, offset, length, contentType);

    private sealed class FileRangeResult(string path, long offset, long length, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var start = Math.Min(offset, file.Length);
                var left = Math.Min(length, file.Length - start);
                file.Seek(start, SeekOrigin.Begin);
                var response = httpContext.Response;
                response.ContentType = contentType;
                response.ContentLength = left;
                var buffer = new byte[64 * 1024];
                int read;
                while (left > 0 && (read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), httpContext.RequestAborted).ConfigureAwait(false)) > 0)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), httpContext.RequestAborted).ConfigureAwait(false);
                    left -= read;
                }
            }
        }
    }
}
