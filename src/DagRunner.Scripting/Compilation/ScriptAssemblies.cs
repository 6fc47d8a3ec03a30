using System.Collections.Immutable;
using System.Reflection;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Our assemblies as DAG files see them: the SDK, and what the host adds through
/// <see cref="ScriptingOptions.DagAssemblies"/> (the built-in operators), with the namespaces every
/// file imports. Kept apart from the Roslyn-facing types so that a start-up served from the compile
/// cache never loads the compiler.
/// </summary>
internal sealed class ScriptAssemblies
{
    private static readonly ImmutableArray<string> FrameworkImports =
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
    ];

    public ScriptAssemblies(IReadOnlyList<Assembly> dagAssemblies, IReadOnlyList<string> dagImports)
    {
        ArgumentNullException.ThrowIfNull(dagAssemblies);
        ArgumentNullException.ThrowIfNull(dagImports);
        Visible = [.. new[] { typeof(Dag).Assembly }.Concat(dagAssemblies).Distinct()];
        All = [.. Visible, typeof(ScriptAssemblies).Assembly];
        Imports = [.. FrameworkImports, "DagRunner.Sdk", .. dagImports.Where(n => n != "DagRunner.Sdk").Distinct(StringComparer.Ordinal)];
        Stamp = BuildStamp(All, Imports);
    }

    /// <summary>The assemblies a DAG file is compiled against.</summary>
    public ImmutableArray<Assembly> Visible { get; }

    /// <summary>Everything of ours that decides what a compilation produces (the rewriter lives here).</summary>
    public ImmutableArray<Assembly> All { get; }

    /// <summary>The namespaces every DAG file imports, so it needs no <c>using</c>.</summary>
    public ImmutableArray<string> Imports { get; }

    /// <summary>What compiled files depend on besides their text: our assemblies, the imports and the
    /// runtime. Two processes with the same stamp can run each other's compiled files.</summary>
    public string Stamp { get; }

    public static ScriptAssemblies From(ScriptingOptions options) => new(options.DagAssemblies, options.DagImports);

    // Our assemblies' module ids change with every change to their code (deterministic builds),
    // so a new SDK, operator set or rewriter never reuses an old compilation.
    private static string BuildStamp(ImmutableArray<Assembly> assemblies, ImmutableArray<string> imports)
    {
        var parts = assemblies
            .Select(a => $"{a.GetName().Name}:{a.GetName().Version}:{a.ManifestModule.ModuleVersionId}")
            .Append("imports:" + string.Join(',', imports))
            .Append(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription)
            .Append(AppContext.TargetFrameworkName ?? "net10.0");
        return string.Join('|', parts);
    }
}
