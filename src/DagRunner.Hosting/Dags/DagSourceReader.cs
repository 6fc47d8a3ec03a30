using System.Collections.Immutable;
using System.Text;
using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Runs;
using DagRunner.Scripting;
using DagRunner.Sdk;

namespace DagRunner.Hosting.Dags;

/// <summary>
/// Reads a DAG's source for a front end (the web UI's code page): the DAG's file and the files it
/// <c>#load</c>s, directly or not. Only files inside the DAGs folder are read, symbolic links judged by
/// where they lead (as <see cref="TaskLogReader"/> does), so a <c>#load</c> of <c>/etc/passwd</c> shows
/// nothing; the text is masked, as everything shown is.
/// </summary>
public sealed class DagSourceReader(string dagsFolder, SecretMasker secrets)
{
    /// <summary>The default of how much of a file is read: 1 MiB (a DAG file is far smaller).</summary>
    public const int MaxBytes = 1024 * 1024;

    private readonly string _root = Path.TrimEndingDirectorySeparator(TaskLogReader.RealPath(Path.GetFullPath(dagsFolder))) + Path.DirectorySeparatorChar;

    /// <summary>The DAG's file, then each file it loads (depth first, each once).</summary>
    public async Task<ImmutableArray<DagSourceFile>> ReadAsync(DagDefinition dag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);
        var files = ImmutableArray.CreateBuilder<DagSourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(dag.File)]);
        while (pending.TryPop(out var path) && files.Count < 50)
        {
            if (!seen.Add(path))
                continue;
            var file = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            files.Add(file);
            if (file.Text is null)
                continue;
            // Pushed in reverse, so they come out in the order written.
            foreach (var load in ScriptLoads.Of(file.Text).Reverse())
                pending.Push(Path.GetFullPath(load, Path.GetDirectoryName(path)!));
        }

        return files.ToImmutable();
    }

    private async Task<DagSourceFile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var shown = path.StartsWith(_root, StringComparison.Ordinal) ? path[_root.Length..] : path;
        try
        {
            var real = TaskLogReader.RealPath(path);
            if (!real.StartsWith(_root, StringComparison.Ordinal))
                return new DagSourceFile(shown, null, "not shown: outside the DAGs folder");
            if (!File.Exists(real))
                return new DagSourceFile(shown, null, "not found");
            await using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            if (stream.Length > MaxBytes)
                return new DagSourceFile(shown, null, $"not shown: larger than {MaxBytes / 1024} KiB");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return new DagSourceFile(shown, secrets.Mask(text) ?? string.Empty, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DagSourceFile(shown, null, $"not readable: {secrets.Mask(e.Message)}");
        }
    }
}

/// <summary>A file of a DAG's source.</summary>
/// <param name="Path">Its path, relative to the DAGs folder when inside it.</param>
/// <param name="Text">Its text, masked; null when it is not shown.</param>
/// <param name="Note">Why it is not shown, or null.</param>
public sealed record DagSourceFile(string Path, string? Text, string? Note);
