using System.Reflection;
using System.Runtime.Loader;

namespace DagRunner.Scripting.Loading;

/// <summary>
/// One collectible load context per version of a DAG file, so old versions can be unloaded.
/// Our SDK, the operators and the framework come from the default context (returning null
/// below), so the objects a script builds are of the host's own types.
/// </summary>
internal sealed class ScriptLoadContext : AssemblyLoadContext
{
    private readonly Dictionary<string, string> _referencesByName;
    private readonly IReadOnlyList<string> _probeFolders;

    public ScriptLoadContext(string name, IReadOnlyList<string> references)
        : base(name, isCollectible: true)
    {
        _referencesByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in references)
        {
            _referencesByName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }

        _probeFolders = [.. references.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null)
        {
            return null;
        }

        if (_referencesByName.TryGetValue(assemblyName.Name, out var path))
        {
            return LoadFromAssemblyPath(path);
        }

        // A #r'd library's own dependencies usually sit beside it.
        foreach (var folder in _probeFolders)
        {
            var candidate = Path.Combine(folder, assemblyName.Name + ".dll");
            if (File.Exists(candidate) && !IsShared(assemblyName))
            {
                return LoadFromAssemblyPath(candidate);
            }
        }

        return null;
    }

    private static bool IsShared(AssemblyName name) =>
        Default.Assemblies.Any(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase));
}
