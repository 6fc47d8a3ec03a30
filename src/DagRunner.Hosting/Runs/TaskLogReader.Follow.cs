using System.Text;

namespace DagRunner.Hosting.Runs;

/// <summary>Following a log as it grows (the web UI's live log), under the same rules as reading it:
/// the logs folder only, masked.</summary>
public sealed partial class TaskLogReader
{
    /// <summary>The whole lines of <paramref name="logFile"/> written from byte <paramref name="offset"/> on
    /// (a line still being written waits for its end), at most <paramref name="maxBytes"/> of them; with a
    /// negative offset, the log's last <paramref name="maxBytes"/> bytes from their first whole line.
    /// <see langword="null"/> when there is no such file in the logs folder (yet).</summary>
    public async Task<TaskLogChunk?> ReadFromAsync(string? logFile, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (string.IsNullOrEmpty(logFile))
            return null;
        try
        {
            var full = RealPath(Path.GetFullPath(logFile));
            if (!full.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(full))
                return null;
            await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            var length = stream.Length;
            var truncated = false;
            if (offset < 0 || offset > length)
            {
                // The tail (or a log that was replaced by a shorter one: read again from its start).
                truncated = offset < 0 && length > maxBytes;
                offset = offset < 0 ? Math.Max(0, length - maxBytes) : 0;
            }

            var buffer = new byte[(int)Math.Min(maxBytes, length - offset)];
            stream.Seek(offset, SeekOrigin.Begin);
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var start = 0;
            if (truncated && Array.IndexOf(buffer, (byte)'\n', 0, read) is var first and >= 0)
                start = first + 1; // from the first whole line
            // Up to the last newline: a line (and a UTF-8 character) being written is read whole, later.
            var end = Array.LastIndexOf(buffer, (byte)'\n', read - 1 < 0 ? 0 : read - 1, read) + 1;
            if (end <= start)
                return new TaskLogChunk("", offset + (truncated ? start : 0), truncated);
            var text = Encoding.UTF8.GetString(buffer, start, end - start);
            return new TaskLogChunk(secrets.Mask(text) ?? "", offset + end, truncated);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
