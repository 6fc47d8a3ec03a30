using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using Microsoft.Extensions.Logging;

namespace DagRunner.Scripting.Caching;

/// <summary>
/// What a DAG file's code built, kept as JSON beside the compile cache: the definitions of one version
/// of the file, for a process that shows DAGs without running their code (the web UI). A snapshot is
/// keyed by everything that decides what a load builds: the compile key (the file, its <c>#load</c>s
/// and <c>#r</c>s, our assemblies), the stamp of the DAGs folder's other files (a file may read them)
/// and of the templates folder (the load checks templates). Only a file that loaded without an import
/// error leaves one. A corrupt or unreadable snapshot is a miss, never an error: the file runs.
/// </summary>
/// <remarks>What JSON cannot hold is not in a snapshot: a definition read from one has no task objects
/// (<see cref="TaskDefinition.Instance"/> is null), so what needs them (a rendered preview) runs the file.
/// A file whose code builds something else on each run (from the clock, the environment) shows what its
/// last run built.</remarks>
internal sealed partial class DefinitionSnapshots(string? folder, ILogger logger)
{
    private const string Format = "dagrunner-definitions-v1";
    private bool _writeFailed;

    /// <summary>The snapshot key of a file version loaded with these folder stamps.</summary>
    public static string KeyOf(string compileKey, string dataStamp, string templatesStamp)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{Format}\n{compileKey}\n{dataStamp}\n{templatesStamp}"));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The definitions <paramref name="file"/>'s snapshot <paramref name="key"/> holds, or null.</summary>
    public ImmutableArray<DagDefinition>? TryRead(string key, string file)
    {
        if (folder is null)
            return null;
        var path = Path.Combine(folder, key + ".json");
        try
        {
            if (!File.Exists(path))
                return null;
            var snapshot = JsonSerializer.Deserialize<Snapshot>(File.ReadAllBytes(path), DefinitionJson.Options);
            // The key covers the file's text, not its place: a copy of the folder elsewhere is another file.
            if (snapshot is null || snapshot.Format != Format || snapshot.File != file || snapshot.Dags is null)
                return null;
            return [.. snapshot.Dags];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            LogUnreadable(logger, ex, path);
            return null;
        }
    }

    /// <summary>Keeps what <paramref name="file"/> built under <paramref name="key"/>; a folder that cannot be
    /// written is said once and otherwise ignored (the file then runs wherever it is shown).</summary>
    public void Write(string key, string file, ImmutableArray<DagDefinition> definitions)
    {
        if (folder is null || _writeFailed)
            return;
        try
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, key + ".json");
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new Snapshot(Format, file, [.. definitions]), DefinitionJson.Options));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _writeFailed = true;
            LogUnwritable(logger, folder, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Definitions snapshot {Path} is unreadable; the file runs.")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Definitions snapshots cannot be written in {Folder} ({Reason}); the web UI runs DAG files to show them.")]
    private static partial void LogUnwritable(ILogger logger, string folder, string reason);

    private sealed record Snapshot(string Format, string File, DagDefinition[]? Dags);
}
