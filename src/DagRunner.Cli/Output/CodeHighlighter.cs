using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace DagRunner.Cli.Output;

/// <summary>Colours code for the terminal: comments, strings, numbers and keywords of Python, Scala, R,
/// Spark SQL and JSON. Enough to read a statement at a glance; not a parser.</summary>
internal static partial class CodeHighlighter
{
    public static string ToMarkup(string code, string language)
    {
        var pattern = language switch
        {
            "python" => Python(),
            "scala" => Scala(),
            "r" => R(),
            "sql" => Sql(),
            "json" => Json(),
            _ => null,
        };
        if (pattern is null)
            return Markup.Escape(code);
        var builder = new StringBuilder();
        var at = 0;
        foreach (Match match in pattern.Matches(code))
        {
            builder.Append(Markup.Escape(code[at..match.Index]));
            var style = match.Groups["comment"].Success ? "grey"
                : match.Groups["string"].Success ? "green"
                : match.Groups["number"].Success ? "magenta"
                : "blue";
            builder.Append('[').Append(style).Append(']').Append(Markup.Escape(match.Value)).Append("[/]");
            at = match.Index + match.Length;
        }

        return builder.Append(Markup.Escape(code[at..])).ToString();
    }

    /// <summary>The language of a statement file or request body, from its extension.</summary>
    public static string LanguageOf(string fileName) => Path.GetExtension(fileName).ToUpperInvariant() switch
    {
        ".PY" => "python",
        ".SCALA" => "scala",
        ".R" => "r",
        ".SQL" => "sql",
        ".JSON" => "json",
        _ => "text",
    };

    private const string Strings = @"(?<string>""""""[\s\S]*?""""""|'''[\s\S]*?'''|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])*')";
    private const string Numbers = @"(?<number>\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[LlDd]?\b)";

    [GeneratedRegex(@"(?<comment>#[^\n]*)|" + Strings + "|" + Numbers + @"|(?<keyword>\b(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except|False|finally|for|from|global|if|import|in|is|lambda|None|nonlocal|not|or|pass|raise|return|True|try|while|with|yield)\b)")]
    private static partial Regex Python();

    [GeneratedRegex(@"(?<comment>//[^\n]*|/\*[\s\S]*?\*/)|" + Strings + "|" + Numbers + @"|(?<keyword>\b(?:case|catch|class|def|do|else|extends|false|final|finally|for|if|implicit|import|lazy|match|new|null|object|override|package|private|protected|return|sealed|super|this|throw|trait|true|try|type|val|var|while|with|yield)\b)")]
    private static partial Regex Scala();

    [GeneratedRegex(@"(?<comment>#[^\n]*)|" + Strings + "|" + Numbers + @"|(?<keyword>\b(?:break|else|FALSE|for|function|if|in|Inf|NA|NaN|next|NULL|repeat|return|TRUE|while)\b)")]
    private static partial Regex R();

    [GeneratedRegex(@"(?<comment>--[^\n]*|/\*[\s\S]*?\*/)|" + Strings + "|" + Numbers + @"|(?<keyword>\b(?:ALL|AND|AS|ASC|BETWEEN|BY|CASE|CAST|CREATE|DATE|DELETE|DESC|DISTINCT|DROP|ELSE|END|EXISTS|FALSE|FROM|FULL|GROUP|HAVING|IN|INSERT|INTO|IS|JOIN|LEFT|LIKE|LIMIT|NOT|NULL|ON|OR|ORDER|OUTER|OVERWRITE|PARTITION|RIGHT|SELECT|SET|TABLE|THEN|TIMESTAMP|TRUE|UNION|UPDATE|USING|VALUES|VIEW|WHEN|WHERE|WITH)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Sql();

    [GeneratedRegex(@"(?<string>""(?:\\.|[^""\\])*"")|" + Numbers + @"|(?<keyword>\b(?:true|false|null)\b)")]
    private static partial Regex Json();
}
