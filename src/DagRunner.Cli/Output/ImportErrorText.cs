using DagRunner.Engine.Definitions;

namespace DagRunner.Cli.Output;

/// <summary>Import errors as compilers print them: <c>file:line:col: message</c>.</summary>
internal static class ImportErrorText
{
    public static string Line(ImportError error, CliIo io)
    {
        var file = io.Display(error.LocationFile);
        var code = error.Code is null ? string.Empty : $"{error.Code}: ";
        var location = error.Line > 0 ? $"{file}:{error.Line}:{Math.Max(error.Column, 1)}" : file;
        var via = error.SourceFile is null ? string.Empty : $" (loaded by {io.Display(error.File)})";
        return $"{location}: {code}{error.Message}{via}";
    }

    /// <summary>The source line and a marker under the column, for terminals.</summary>
    public static IEnumerable<string> Excerpt(ImportError error)
    {
        if (error.SourceText is not { } text || error.Line < 1)
        {
            yield break;
        }

        var gutter = $"{error.Line,5} | ";
        yield return gutter + text.Replace('\t', ' ');
        var column = Math.Clamp(error.Column, 1, text.Length + 1);
        yield return new string(' ', gutter.Length - 2) + "| " + new string(' ', column - 1) + "^";
    }
}
