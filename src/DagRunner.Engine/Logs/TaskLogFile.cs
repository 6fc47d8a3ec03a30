using System.Globalization;
using System.Text;

namespace DagRunner.Engine.Logs;

/// <summary>
/// One attempt's log file: each line stamped with its time as <c>[yyyy-MM-dd HH:mm:ss.fff zzz] text</c>,
/// UTF-8 without a byte-order mark, appended (a restarted runner that resumes an attempt adds to its
/// log), and written through to the disk line by line so a reader sees what the task printed so far.
/// Once the file holds <paramref name="maxBytes"/>, later lines are dropped (the line that crosses the
/// cap is still written whole). A file that cannot be opened or written loses its lines: a task never
/// fails because its log could not be kept.
/// </summary>
/// <remarks>
/// The file is ours, not a diagnostics log: DagRunner writes it, hands its path to the store and reads
/// it back, so its format is written here rather than configured in a logging library (Serilog stays
/// in the hosts, for diagnostics). The format is the one Serilog's file sink wrote for this file
/// before, byte for byte.
/// </remarks>
internal sealed class TaskLogFile(string path, long maxBytes) : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private FileStream? _stream;
    private bool _broken;
    private long _length;

    /// <summary>Appends <paramref name="line"/>, stamped with <paramref name="time"/>.</summary>
    public void Append(DateTimeOffset time, string line)
    {
        if (_broken || (_stream is not null && _length >= maxBytes))
            return;
        try
        {
            _stream ??= Open();
            if (_length >= maxBytes)
                return;
            var text = $"[{time.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture)}] {line}{Environment.NewLine}";
            var bytes = Utf8.GetBytes(text);
            _stream.Write(bytes);
            _stream.Flush();
            _length += bytes.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _broken = true;
        }
    }

    public void Dispose() => _stream?.Dispose();

    private FileStream Open()
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _length = stream.Length;
        return stream;
    }
}
