using System.Net;
using System.Text.RegularExpressions;

namespace DagRunner.Web.Tests.Tasks;

/// <summary>Just enough reading of a page's HTML for the tests: the text of elements found by a pattern.</summary>
internal static partial class Html
{
    /// <summary>The text of each <c>pre</c> inside a <c>div.statement</c>, decoded, as a browser shows it
    /// (the newline right after <c>&lt;pre&gt;</c> is not part of it).</summary>
    public static IReadOnlyList<string> StatementCodes(string page) =>
        [.. StatementPre().Matches(page).Select(m => Pre(m.Groups[1].Value))];

    /// <summary>The text of <c>pre#log</c>.</summary>
    public static string Log(string page) => LogPre().Match(page) is { Success: true } m ? Pre(m.Groups[1].Value) : throw new InvalidOperationException("no pre#log in the page");

    /// <summary>The row of <c>[data-source="<paramref name="source"/>"]</c>, its tags removed.</summary>
    public static string SourceRow(string page, string source)
    {
        var match = Regex.Match(page, $"<tr[^>]*data-source=\"{Regex.Escape(source)}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        return match.Success ? Text(match.Groups[1].Value) : throw new InvalidOperationException($"no [data-source={source}] row in the page");
    }

    /// <summary>Markup without its tags, decoded, spaces collapsed.</summary>
    public static string Text(string markup) => WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(markup, "<[^>]+>", " "), @"\s+", " ")).Trim();

    private static string Pre(string inner)
    {
        var text = WebUtility.HtmlDecode(inner);
        return text.StartsWith('\n') ? text[1..] : text;
    }

    [GeneratedRegex("<div class=\"statement\"[^>]*>.*?<pre>(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex StatementPre();

    [GeneratedRegex("<pre id=\"log\"[^>]*>(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex LogPre();
}
