using Microsoft.AspNetCore.Http;

namespace DagRunner.LocalLivy.Http;

/// <summary>Reads request bodies whole; Livy's requests are small, and a cap keeps a runaway client
/// from filling memory.</summary>
internal static class LivyBodies
{
    private const int MaxBytes = 16 * 1024 * 1024;

    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
