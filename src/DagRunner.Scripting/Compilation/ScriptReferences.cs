using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// What every DAG file is compiled against, so it needs no <c>#r</c>: the shared framework and
/// <see cref="ScriptAssemblies.Visible"/>. Each reference is created once per process and shared by
/// every compilation (and every loader), which lets Roslyn reuse what it read of them.
/// </summary>
internal static class ScriptReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(CreateFramework);
    private static readonly ConcurrentDictionary<string, MetadataReference> Ours = new(StringComparer.Ordinal);

    public static ImmutableArray<MetadataReference> For(ScriptAssemblies assemblies) =>
        [.. Framework.Value, .. assemblies.Visible.Select(a => Ours.GetOrAdd(a.Location, path => MetadataReference.CreateFromFile(path)))];

    private static ImmutableArray<MetadataReference> CreateFramework()
    {
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. Directory.EnumerateFiles(frameworkFolder, "*.dll")
            .Where(IsManagedFrameworkAssembly)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    // The shared framework folder also holds native libraries (libclrjit.so is not *.dll, but
    // some distributions ship native *.dll shims); managed ones are the System.*, Microsoft.* and facades.
    private static bool IsManagedFrameworkAssembly(string path)
    {
        var name = Path.GetFileName(path);
        return (name.StartsWith("System.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.", StringComparison.Ordinal)
                || name is "mscorlib.dll" or "netstandard.dll")
            && !name.StartsWith("Microsoft.DiaSymReader.Native", StringComparison.Ordinal);
    }
}
