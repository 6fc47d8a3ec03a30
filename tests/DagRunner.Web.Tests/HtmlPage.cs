using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace DagRunner.Web.Tests;

/// <summary>A page fetched over HTTP and parsed into a DOM, read with CSS selectors as a browser test would.</summary>
internal static class HtmlPage
{
    public static async Task<(int Status, IHtmlDocument Document)> GetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(url, cancellationToken);
        var html = await answer.Content.ReadAsStringAsync(cancellationToken);
        return ((int)answer.StatusCode, new HtmlParser().ParseDocument(html));
    }
}
