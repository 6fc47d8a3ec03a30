using System.Reflection;
using DagRunner.Operators;
using DagRunner.Sdk;

namespace DagRunner.Scripting.Compilation;

/// <summary>
/// Our assemblies as DAG files see them. Kept apart from the Roslyn-facing types so that a
/// start-up served from the compile cache never loads the compiler.
/// </summary>
internal static class ScriptAssemblies
{
    /// <summary>The assemblies a DAG file is compiled against.</summary>
    public static IReadOnlyList<Assembly> Visible { get; } = [typeof(Dag).Assembly, typeof(LivyBatchOperator).Assembly];

    /// <summary>Everything of ours that decides what a compilation produces (the rewriter lives here).</summary>
    public static IReadOnlyList<Assembly> All { get; } = [.. Visible, typeof(ScriptAssemblies).Assembly];
}
