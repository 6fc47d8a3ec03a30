using System.Text.RegularExpressions;
using DagRunner.Templating;

namespace DagRunner.Operators.Livy.Session;

/// <summary>
/// Shows a Python traceback's line numbers (<c>File "&lt;stdin&gt;", line 14</c>, as Livy's PySpark
/// shell reports them) also as lines of the template or file the statement came from, after the
/// preamble: <c>File "&lt;stdin&gt;", line 14, in &lt;module&gt; [report/load.py.sbn:12]</c>.
/// </summary>
internal static partial class TracebackLines
{
    public static IReadOnlyList<string> Annotate(IReadOnlyList<string> traceback, LineMap lines) =>
        [.. traceback.Select(line => StdinLine().Replace(line, match =>
            int.TryParse(match.Groups["line"].ValueSpan, out var number) && lines.Find(number) is { } source
                ? $"{match.Value} [{source}]"
                : match.Value))];

    /// <summary>The innermost frame of the statement's own code, without its <c>File "&lt;stdin&gt;",</c>
    /// (<c>line 14, in load [report/load.py.sbn:12]</c>); null when no frame is the statement's.</summary>
    public static string? Innermost(IReadOnlyList<string> annotated) =>
        annotated.Select(line => StdinLine().Match(line)).LastOrDefault(match => match.Success) is { } frame
            ? frame.Value.Substring(StdinPrefix.Length).TrimEnd()
            : null;

    private const string StdinPrefix = "File \"<stdin>\", ";

    [GeneratedRegex(@"File ""<stdin>"", line (?<line>\d+)[^\n]*")]
    private static partial Regex StdinLine();
}
