using Scriban;
using Scriban.Syntax;

namespace DagRunner.Templating.Rendering;

/// <summary>
/// Finds, when a template is parsed, a top-level name that is neither in the template context, nor a
/// Scriban built-in, nor set by the template itself: such a name would fail every render, so it is an
/// error at load time. <c>with</c>, <c>import</c> and <c>include</c> (an included file's functions and
/// variables join the includer's) bring names in at run time, so a template that uses them is left
/// to the render's strict check.
/// </summary>
internal static class NameCheck
{
    private static readonly HashSet<string> Known = BuildKnown();

    public static ScriptVariableGlobal? FindUndefined(Template template)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var used = new List<ScriptVariableGlobal>();
        if (!Walk(template.Page, declared, used))
            return null;
        return used.FirstOrDefault(v => !Known.Contains(v.Name) && !declared.Contains(v.Name));
    }

    private static bool Walk(ScriptNode? node, HashSet<string> declared, List<ScriptVariableGlobal> used)
    {
        switch (node)
        {
            case null:
                return true;
            case ScriptWithStatement or ScriptImportStatement:
            case ScriptFunctionCall { Target: ScriptVariableGlobal { Name: "include" } }:
                return false;
            case ScriptAssignExpression { Target: ScriptVariable target }:
                declared.Add(target.Name);
                break;
            case ScriptForStatement { Variable: ScriptVariable variable }:
                declared.Add(variable.Name);
                break;
            case ScriptCaptureStatement { Target: ScriptVariable target }:
                declared.Add(target.Name);
                break;
            case ScriptFunction { NameOrDoToken: ScriptVariable name }:
                declared.Add(name.Name);
                break;
            case ScriptParameter { Name: { } name }:
                declared.Add(name.Name);
                break;
            case ScriptVariableGlobal global:
                used.Add(global);
                break;
            // `a.b`, `{ b: 1 }` and `f b: 1` name members and arguments, not variables.
            case ScriptMemberExpression member:
                return Walk(member.Target, declared, used);
            case ScriptObjectMember objectMember:
                return Walk(objectMember.Value, declared, used);
            case ScriptNamedArgument argument:
                return Walk(argument.Value, declared, used);
        }

        foreach (var child in node.Children)
        {
            if (!Walk(child, declared, used))
                return false;
        }

        return true;
    }

    private static HashSet<string> BuildKnown()
    {
        var known = new HashSet<string>(TemplateScope.Names, StringComparer.Ordinal) { "for", "while", "tablerow", "this", "empty", "page" };
        foreach (var name in new TemplateContext().BuiltinObject.GetMembers())
            known.Add(name);
        return known;
    }
}
