using System.Text;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Runs;

/// <summary>
/// Reads the task logs a run's records point at (<see cref="Engine.Runs.TaskInstance.LogFile"/>,
/// <see cref="Engine.Runs.TaskAttempt.LogFile"/>) for a front end. Only files inside the logs folder are
/// read, whatever a record says, so a damaged or hostile store row cannot show another file; the text
/// is masked again on the way out (the executor masks as it writes, but a secret learned later, such
/// as a run's secret conf, is hidden too).
/// </summary>
public sealed partial class TaskLogReader(string logsFolder, SecretMasker secrets)
{
    /// <summary>The default of how much of a log's end is read: 1 MiB.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private readonly string _root = Path.TrimEndingDirectorySeparator(RealPath(Path.GetFullPath(logsFolder))) + Path.DirectorySeparatorChar;

    /// <summary>The log at <paramref name="logFile"/>, at most its last <paramref name="maxBytes"/> bytes
    /// (<see cref="DefaultMaxBytes"/> is a sensible choice);
    /// <see langword="null"/> when there is no such file in the logs folder (not written yet, removed, or
    /// a path outside it).</summary>
    public async Task<TaskLogText?> ReadAsync(string? logFile, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (string.IsNullOrEmpty(logFile))
            return null;
        var full = Path.GetFullPath(logFile);
        try
        {
            // A symbolic link inside the folder (the file or a folder on its way) could point anywhere:
            // judged by where it leads.
            full = RealPath(full);
            if (!full.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(full))
                return null;
            return await ReadEndAsync(full, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // removed while being read (a log folder cleaned up)
        }
    }

    private async Task<TaskLogText> ReadEndAsync(string full, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        var truncated = stream.Length > maxBytes;
        if (truncated)
            stream.Seek(-maxBytes, SeekOrigin.End);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (truncated && text.IndexOf('\n', StringComparison.Ordinal) is var newline and >= 0)
            text = text[(newline + 1)..]; // from the first whole line
        return new TaskLogText(secrets.Mask(text) ?? string.Empty, truncated);
    }

    // The path with every symbolic link on it followed, folder by folder (.NET resolves only the last
    // part); a part that does not exist is kept as it is.
    internal static string RealPath(string path)
    {
        var root = Path.GetPathRoot(path)!;
        var real = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(real, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            real = info.Exists && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? Path.GetFullPath(target.FullName)
                : next;
        }

        return real;
    }
}
