using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DagRunner.Engine.Definitions;
using Microsoft.Extensions.Logging;

namespace DagRunner.Scripting.Caching;

/// <summary>
/// What a DAG file's code built, kept as JSON beside the compile cache: the definitions of one version
/// of the file, for a process that shows DAGs without running their code (the web UI). A snapshot is
/// keyed by everything that decides what a load builds: the compile key (the file, its <c>#load</c>s
/// and <c>#r</c>s, the SDK and operators), the assemblies that build and check definitions, the stamp of
/// the DAGs folder's other files (a file may read them) and of the templates folder (the load checks
/// templates). Every load of a version keeps its outcome: DAGs built leave a snapshot, an import error
/// removes the one an earlier run left, so a reader never shows DAGs where the last run failed. A corrupt
/// or unreadable snapshot is a miss, never an error: the file runs.
/// </summary>
/// <remarks>What JSON cannot hold is not in a snapshot: a definition read from one has no task objects
/// (<see cref="TaskDefinition.Instance"/> is null), so what needs them (a rendered preview) runs the file.
/// A file whose code builds something else on each run (from the clock, the environment) shows what its
/// last run built. Snapshots hold what definitions hold (a value a file read at load time included), so
/// they are written readable by their owner only, as the run store is kept.</remarks>
internal sealed partial class DefinitionSnapshots(string? folder, string builderStamp, ILogger logger)
{
    private const string Format = "dagrunner-definitions-v1";
    private bool _writeOff;

    /// <summary>Where the snapshots of a compile cache folder are kept: the runner reads them there, and its load
    /// probe writes them there.</summary>
    public static string FolderIn(string cacheFolder) => Path.Combine(cacheFolder, "definitions");

    /// <summary>The stamp of the assemblies that build and check definitions, from their module ids (a new
    /// build of any of them is another stamp).</summary>
    public static string StampOf(IEnumerable<System.Reflection.Assembly?> assemblies) =>
        string.Join(",", assemblies.OfType<System.Reflection.Assembly>().Distinct().Select(a => a.ManifestModule.ModuleVersionId.ToString("N")).Order(StringComparer.Ordinal));

    /// <summary>The snapshot key of a file version loaded with these folder stamps.</summary>
    public string KeyOf(string compileKey, string dataStamp, string templatesStamp)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{Format}\n{builderStamp}\n{compileKey}\n{dataStamp}\n{templatesStamp}"));
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
            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(path), SnapshotJsonContext.Default.Snapshot);
            // The key covers the file's text, not its place: a copy of the folder elsewhere is another file.
            if (snapshot is null || snapshot.Format != Format || snapshot.File != file || snapshot.Dags is null || snapshot.Dags.Any(d => d.File != file))
                return null;
            return [.. snapshot.Dags];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            LogUnreadable(logger, ex, path);
            return null;
        }
    }

    /// <summary>Keeps what <paramref name="file"/> built under <paramref name="key"/>, or, with null (its load
    /// failed), removes what an earlier run left there. A folder that cannot be written is said once and then
    /// left alone (the file then runs wherever it is shown); one write that fails is skipped.</summary>
    public void Keep(string key, string file, ImmutableArray<DagDefinition>? definitions)
    {
        if (folder is null || _writeOff)
            return;
        var path = Path.Combine(folder, key + ".json");
        try
        {
            if (definitions is not { } built)
            {
                if (File.Exists(path))
                    File.Delete(path);
                return;
            }

            Directory.CreateDirectory(folder);
            CompileCache.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(new Snapshot(Format, file, [.. built]), SnapshotJsonContext.Default.Snapshot), ownerOnly: true);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or DirectoryNotFoundException)
        {
            _writeOff = true;
            LogUnwritable(logger, folder, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            // Another process replacing the same snapshot, a full disk for a moment: the next load writes it.
            LogSkipped(logger, ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Definitions snapshot {Path} is unreadable; the file runs.")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Definitions snapshot {Path} was not written; the next load writes it.")]
    private static partial void LogSkipped(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Definitions snapshots cannot be written in {Folder} ({Reason}); the web UI runs DAG files to show them.")]
    private static partial void LogUnwritable(ILogger logger, string folder, string reason);

    internal sealed record Snapshot(string Format, string File, DagDefinition[]? Dags);
}

// Source-generated, with DefinitionJson's conventions (camelCase, nulls left out, enums as strings): a process that
// shows 200 DAGs from their snapshots should not first compile a reflection-based serializer for them.
[JsonSerializable(typeof(DefinitionSnapshots.Snapshot))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
