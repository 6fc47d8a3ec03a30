using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DagRunner.Engine.Definitions;
using DagRunner.Scripting.Compilation;
using Microsoft.Extensions.Logging;

namespace DagRunner.Scripting.Caching;

/// <summary>
/// Compiled DAG files on disk, keyed by a hash of everything that decides the output: the file,
/// the files it <c>#load</c>s, the assemblies it <c>#r</c>s, our assemblies and the runtime.
/// Failed compilations are cached too, so an unchanged broken file does not start the compiler.
/// A corrupt or unreadable entry is a miss, never an error.
/// </summary>
internal sealed partial class CompileCache(string? folder, ScriptAssemblies assemblies, ILogger logger)
{
    private const string Format = "dagrunner-compile-cache-v2";

    /// <summary>What compiled files depend on besides their text: our assemblies, the imports and the
    /// runtime (<see cref="ScriptAssemblies.Stamp"/>). Two processes with the same stamp can run each other's cache entries.</summary>
    public string EnvironmentStamp => assemblies.Stamp;
    private bool _writeFailed;

    public string ComputeKey(string path, string text)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, Format);
        Append(hash, assemblies.Stamp);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        AppendScript(hash, path, text, visited);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public CompiledScript? TryGet(string key)
    {
        if (folder is null)
        {
            return null;
        }

        try
        {
            var metaPath = Path.Combine(folder, key + ".json");
            if (!File.Exists(metaPath))
            {
                return null;
            }

            var meta = JsonSerializer.Deserialize(File.ReadAllBytes(metaPath), CacheJsonContext.Default.CacheEntry);
            if (meta is null)
            {
                return null;
            }

            var imagePath = Path.Combine(folder, key + ".dll");
            return meta.ToScript(meta.Errors.Count == 0 ? File.ReadAllBytes(imagePath) : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            LogUnreadable(logger, ex, key);
            return null;
        }
    }

    public void Put(string key, CompiledScript script)
    {
        if (folder is null || _writeFailed)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            if (script.Image is not null)
            {
                WriteAtomically(Path.Combine(folder, key + ".dll"), script.Image);
            }

            var meta = CacheEntry.Of(script);

            // The metadata is written last: its presence says the entry is complete.
            WriteAtomically(Path.Combine(folder, key + ".json"), JsonSerializer.SerializeToUtf8Bytes(meta, CacheJsonContext.Default.CacheEntry));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writeFailed = true;
            LogUnwritable(logger, folder, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compile cache entry {Key} is unreadable; compiling again.")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compile cache in {Folder} cannot be written ({Reason}); DAG files will be compiled on every start.")]
    private static partial void LogUnwritable(ILogger logger, string folder, string reason);

    /// <summary>Writes a cache file whole or not at all (a temporary file renamed over it), so a reader in
    /// another process never sees half of it; with <paramref name="ownerOnly"/>, readable by its owner only
    /// (on Unix).</summary>
    internal static void WriteAtomically(string path, byte[] bytes, bool ownerOnly = false)
    {
        var temp = $"{path}.{System.Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
            stream.Write(bytes);
        File.Move(temp, path, overwrite: true);
    }

    private static void AppendScript(IncrementalHash hash, string path, string text, HashSet<string> visited)
    {
        if (!visited.Add(path))
        {
            return;
        }

        Append(hash, path);
        Append(hash, text);
        var folder = Path.GetDirectoryName(path) ?? string.Empty;
        var directives = ScriptDirectives.Scan(text);
        foreach (var load in directives.Loads)
        {
            var loaded = Path.GetFullPath(Path.Combine(folder, load));
            if (File.Exists(loaded))
            {
                AppendScript(hash, loaded, File.ReadAllText(loaded), visited);
            }
            else
            {
                Append(hash, "missing:" + loaded);
            }
        }

        foreach (var reference in directives.References)
        {
            var referenced = Path.GetFullPath(Path.Combine(folder, reference));
            var info = new FileInfo(referenced);
            Append(hash, info.Exists ? $"{referenced}|{info.Length}|{info.LastWriteTimeUtc.Ticks}" : "reference:" + reference);
        }
    }

    private static void Append(IncrementalHash hash, string value)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(value));
        hash.AppendData([0]);
    }
}

/// <summary>A compiled file without its image, as the cache keeps it beside the image (and the compile server sends it).</summary>
internal sealed record CacheEntry(
    string EntryType,
    string EntryMethod,
    List<string> References,
    List<ImportError> Errors,
    Dictionary<string, List<ColumnEdit>>? Columns)
{
    public static CacheEntry Of(CompiledScript script) =>
        new(script.EntryType, script.EntryMethod, [.. script.References], [.. script.Errors], script.Columns.EditsByFile);

    /// <summary>The compiled file, with <paramref name="image"/> (null when it did not compile).</summary>
    public CompiledScript ToScript(byte[]? image) => new()
    {
        Image = image,
        EntryType = EntryType,
        EntryMethod = EntryMethod,
        References = References,
        Errors = Errors,
        Columns = new ColumnMap(Columns ?? []),
    };
}
