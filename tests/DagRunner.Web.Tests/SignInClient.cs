using System.Net;
using System.Text.RegularExpressions;

namespace DagRunner.Web.Tests;

/// <summary>An HTTP client that keeps cookies and does not follow redirects (so a test sees them), as a browser
/// session against the UI; reads the anti-forgery token out of the forms it is served.</summary>
internal sealed partial class SignInClient : IDisposable
{
    public SignInClient(Uri url)
    {
        Handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true };
        Http = new HttpClient(Handler) { BaseAddress = url };
    }

    public HttpClientHandler Handler { get; }

    public HttpClient Http { get; }

    /// <summary>The anti-forgery token of the first form on <paramref name="page"/>.</summary>
    public async Task<string> TokenAsync(string page, CancellationToken cancellationToken)
    {
        using var answer = await Http.GetAsync(page, cancellationToken);
        var html = await answer.Content.ReadAsStringAsync(cancellationToken);
        var match = TokenInput().Match(html);
        Assert.True(match.Success, $"no anti-forgery token in the form of {page}: {html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts the sign-in form (with a token from a fresh sign-in page).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password, CancellationToken cancellationToken, string returnUrl = "")
    {
        var token = await TokenAsync("/login", cancellationToken);
        return await Http.PostAsync("/login", Form(("user", user), ("password", password), ("returnUrl", returnUrl), ("__RequestVerificationToken", token)), cancellationToken);
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    public void Dispose()
    {
        Http.Dispose();
        Handler.Dispose();
    }

    [GeneratedRegex("""name="__RequestVerificationToken"[^>]*value="([^"]+)"[^>]*>""")]
    private static partial Regex TokenInput();
}
