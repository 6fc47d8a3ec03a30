using System.Text.Json;
using DagRunner.Engine.Definitions;

namespace DagRunner.Scripting.Isolation;

/// <summary>
/// The probe's verdicts on disk beside the compile cache, keyed like it (the file, its
/// <c>#load</c>s, our assemblies and the runtime), so a fresh process does not probe a file
/// version again. A verdict holds only for the memory limit and the DAGs folder's data files it
/// was reached with: a factory that reads a YAML file may need more once the YAML grows.
/// Unreadable entries are misses, and a cache that cannot be written only costs a probe.
/// </summary>
internal sealed class ProbeVerdictCache(string folder, long memoryLimit)
{
    internal sealed record Entry(string Stamp, ImportError? Error);

    public ProbeVerdict? TryGet(string key, string dataStamp)
    {
        try
        {
            var path = PathOf(key);
            if (!File.Exists(path))
                return null;
            var entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), ProbeJsonContext.Default.Entry);
            return entry is not null && entry.Stamp == Stamp(dataStamp) ? new ProbeVerdict(entry.Error, Remember: true) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void Put(string key, string dataStamp, ProbeVerdict verdict)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var path = PathOf(key);
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new Entry(Stamp(dataStamp), verdict.Error), ProbeJsonContext.Default.Entry));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The compile cache reports an unwritable folder once; a verdict not kept is probed again.
        }
    }

    private string Stamp(string dataStamp) => $"{memoryLimit}|{dataStamp}";

    private string PathOf(string key) => Path.Combine(folder, key + ".probe.json");
}
