using DagRunner.Scripting.Compilation;

namespace DagRunner.Scripting;

/// <summary>The <c>#load</c> directives of a script, read as the compiler's cache reads them (a text scan).</summary>
public static class ScriptLoads
{
    /// <summary>The paths the script <c>#load</c>s, as written, in order.</summary>
    public static IReadOnlyList<string> Of(string text) => ScriptDirectives.Scan(text).Loads;
}
