using DagRunner.Engine.Definitions;
using DagRunner.Hosting.Dags;

namespace DagRunner.Cli.Output;

/// <summary>Import errors as compilers print them: <c>file:line:col: message</c> (the text the web UI shows too).</summary>
internal static class ImportErrorText
{
    public static string Line(ImportError error, CliIo io) => ImportErrorLines.Location(error, io.Display);

    /// <summary>The source line and a marker under the column, for terminals.</summary>
    public static IEnumerable<string> Excerpt(ImportError error) => ImportErrorLines.Excerpt(error);
}
