using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// What every DAG file is compiled against and imports, so it needs no <c>using</c> or <c>#r</c>:
/// the shared framework, the SDK and the built-in operators. The references are created once and
/// shared by every compilation, which lets Roslyn reuse what it read of them.
/// </summary>
internal static class ScriptReferences
{
    public static readonly ImmutableArray<string> Imports =
    [
        "System",
        "System.Collections.Generic",
        "System.IO",
        "System.Linq",
        "System.Net.Http",
        "System.Text",
        "System.Text.Json",
        "System.Threading",
        "System.Threading.Tasks",
        "DagRunner.Sdk",
        "DagRunner.Operators",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> Shared = new(Create);

    public static ImmutableArray<MetadataReference> All => Shared.Value;

    private static ImmutableArray<MetadataReference> Create()
    {
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = Directory.EnumerateFiles(frameworkFolder, "*.dll")
            .Where(IsManagedFrameworkAssembly)
            .Concat(ScriptAssemblies.Visible.Select(a => a.Location));
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
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
