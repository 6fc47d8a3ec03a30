using DagRunner.Engine.Definitions;

namespace DagRunner.Hosting.Dags;

/// <summary>
/// An import error as compilers print it, for every front end: <c>file:line:col: CODE: message</c>, then
/// the source line with a caret under the column. The terminal (<c>dags errors</c>) and the web UI show
/// the same text; each says how a path is displayed.
/// </summary>
public static class ImportErrorLines
{
    /// <summary><c>file:line:col: CODE: message (loaded by file)</c>, paths as <paramref name="display"/> writes them.</summary>
    public static string Location(ImportError error, Func<string, string> display)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(display);
        var file = display(error.LocationFile);
        var code = error.Code is null ? string.Empty : $"{error.Code}: ";
        var location = error.Line > 0 ? $"{file}:{error.Line}:{Math.Max(error.Column, 1)}" : file;
        var via = error.SourceFile is null ? string.Empty : $" (loaded by {display(error.File)})";
        return $"{location}: {code}{error.Message}{via}";
    }

    /// <summary>The source line behind a gutter with its number, and a caret under the column; nothing
    /// when the error has no source line.</summary>
    public static IEnumerable<string> Excerpt(ImportError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.SourceText is not { } text || error.Line < 1)
            yield break;

        var gutter = $"{error.Line,5} | ";
        yield return gutter + text.Replace('\t', ' ');
        var column = Math.Clamp(error.Column, 1, text.Length + 1);
        yield return new string(' ', gutter.Length - 2) + "| " + new string(' ', column - 1) + "^";
    }

    /// <summary>A path under <paramref name="folder"/> relative to it (<c>etl.csx</c>, <c>lib/x.csx</c>); others as they are.</summary>
    public static string RelativeTo(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
