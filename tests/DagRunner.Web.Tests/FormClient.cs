using System.Net;
using System.Text.RegularExpressions;

namespace DagRunner.Web.Tests;

/// <summary>A browser's way of posting forms, over real HTTP: it keeps cookies (the anti-forgery cookie),
/// takes the <c>__RequestVerificationToken</c> from a page it GETs, and does not follow redirects, so a
/// test sees the 303 and where it points.</summary>
internal sealed partial class FormClient : IDisposable
{
    private readonly HttpClient _http;

    public FormClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
    }

    /// <summary>The anti-forgery token of the last page read with <see cref="GetPageAsync"/>.</summary>
    public string? Token { get; private set; }

    /// <summary>GETs a page, keeping its anti-forgery token (and the cookie that goes with it).</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetPageAsync(string path, CancellationToken cancellationToken)
    {
        using var answer = await _http.GetAsync(path, cancellationToken);
        var html = await answer.Content.ReadAsStringAsync(cancellationToken);
        if (TokenInput().Match(html) is { Success: true } match)
            Token = WebUtility.HtmlDecode(match.Groups[1].Value);
        return (answer.StatusCode, html);
    }

    /// <summary>POSTs the fields as a form, with the token when <paramref name="withToken"/>.</summary>
    public async Task<(HttpStatusCode Status, string? Location, string Html)> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken)
            all.Add(new("__RequestVerificationToken", Token ?? throw new InvalidOperationException("GET a page with a form first.")));
        using var content = new FormUrlEncodedContent(all);
        using var answer = await _http.PostAsync(path, content, cancellationToken);
        return (answer.StatusCode, answer.Headers.Location?.OriginalString, await answer.Content.ReadAsStringAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
