using Scriban.Runtime;

namespace DagRunner.Templating.Rendering;

/// <summary>Makes Scriban objects and arrays read-only, all the way down: values that renders share
/// (the built-ins, an attempt's <c>params</c> and <c>outputs</c>) cannot be changed by a template.</summary>
internal static class ReadOnly
{
    public static ScriptObject Freeze(ScriptObject value)
    {
        Walk(value, 0);
        return value;
    }

    private static void Walk(object? value, int depth)
    {
        if (depth > 64)
            return;
        switch (value)
        {
            case ScriptObject map when !map.IsReadOnly:
                foreach (var member in map.GetMembers().ToList())
                    Walk(map[member], depth + 1);
                map.IsReadOnly = true;
                break;
            case ScriptArray list when !list.IsReadOnly:
                foreach (var item in list)
                    Walk(item, depth + 1);
                list.IsReadOnly = true;
                break;
        }
    }
}
