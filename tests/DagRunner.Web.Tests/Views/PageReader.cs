using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace DagRunner.Web.Tests.Views;

/// <summary>Gets a page over HTTP and parses it as a browser's HTML parser does (SVG included).</summary>
internal static class PageReader
{
    public static async Task<(HttpStatusCode Status, IDocument Page, string Html)> GetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(url, cancellationToken);
        var html = await answer.Content.ReadAsStringAsync(cancellationToken);
        var page = await new HtmlParser().ParseDocumentAsync(html, cancellationToken);
        return (answer.StatusCode, page, html);
    }
}
