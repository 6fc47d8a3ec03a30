namespace DagRunner.Scripting.Compilation;

/// <summary>
/// The <c>#load</c> and <c>#r</c> directives at the top of a script, read with a plain text scan
/// so that a cache lookup never has to start the compiler. Directives may only appear before the
/// first statement, after blank lines, comments and a <c>#!</c> line.
/// </summary>
internal sealed record ScriptDirectives(IReadOnlyList<string> Loads, IReadOnlyList<string> References)
{
    public static ScriptDirectives Scan(string text)
    {
        var loads = new List<string>();
        var references = new List<string>();
        var inBlockComment = false;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (inBlockComment)
            {
                var end = line.IndexOf("*/", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                inBlockComment = false;
                line = line[(end + 2)..].Trim();
            }

            if (line.IsEmpty || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("#!", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("/*", StringComparison.Ordinal))
            {
                inBlockComment = !line.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            if (TryDirective(line, "#load", out var load))
            {
                loads.Add(load);
            }
            else if (TryDirective(line, "#r", out var reference))
            {
                references.Add(reference);
            }
            else if (!line.StartsWith('#'))
            {
                break;
            }
        }

        return new ScriptDirectives(loads, references);
    }

    private static bool TryDirective(ReadOnlySpan<char> line, string name, out string value)
    {
        value = string.Empty;
        if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || !char.IsWhiteSpace(line[name.Length]))
        {
            return false;
        }

        var rest = line[name.Length..].Trim();
        if (rest.Length < 2 || rest[0] != '"')
        {
            return false;
        }

        var close = rest[1..].IndexOf('"');
        if (close < 0)
        {
            return false;
        }

        value = rest.Slice(1, close).ToString();
        return true;
    }
}
