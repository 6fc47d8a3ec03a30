using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DagRunner.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DagRunner.Web.Tests;

/// <summary>Sign-in, sessions and anti-forgery over real HTTP: what the UI asks of a browser once users are configured.</summary>
public sealed class SignInTests
{
    private const string Password = "correct horse";

    private const string Etl = """
        var dag = new Dag("etl") { Schedule = "@daily", StartDate = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) };
        dag.Add(new CSharpOperator("extract", ctx => 42));
        """;

    private static readonly WebOptions WithUser = new()
    {
        Port = 0,
        Users = [new WebUser("ana", WebPasswordHash.Hash(Password, WebPasswordHash.MinIterations))],
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<WebProject> StartAsync(Action<IServiceCollection>? services = null) =>
        WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, WithUser, Token, services);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    public async Task Start_AnAddressOtherThanLoopbackWithoutUsers_IsRefusedSayingToConfigureOne(string address)
    {
        var service = new WebUiService(new ServiceCollection().BuildServiceProvider(), new WebOptions { Host = address, Port = 0 });

        var refused = await Assert.ThrowsAsync<WebUiException>(() => service.StartAsync(Token));

        Assert.Contains($"listen on {address} (not a loopback address) only with sign-in, and no user is configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("dagrunner web hash-password", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AnyAddressWithAUser_ServesAndAsksForSignIn()
    {
        await using var project = await WebProject.StartAsync(new Dictionary<string, string> { ["etl.csx"] = Etl }, WithUser with { Host = "0.0.0.0" }, Token);
        var port = project.Service<WebUiService>().Url!.Port;
        using var client = new SignInClient(new Uri($"http://127.0.0.1:{port}/"));

        using var api = await client.Http.GetAsync("/api/dags", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Start_APortInUse_IsRefusedNamingThePortAndHowToChooseAnother()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var refused = await Assert.ThrowsAsync<WebUiException>(() =>
            WebProject.StartAsync(new Dictionary<string, string>(), new WebOptions { Port = port, PortOption = "--web-port" }, Token));

        Assert.StartsWith($"port {port} on 127.0.0.1 is in use", refused.Message, StringComparison.Ordinal);
        Assert.Contains("choose another with --web-port (0 picks a free one)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSignedIn_APageRedirectsToLoginAndTheApiAnswers401()
    {
        await using var project = await StartAsync();
        using var client = new SignInClient(project.Service<WebUiService>().Url!);

        using var page = await client.Http.GetAsync("/dags/etl/grid?x=1", Token);
        using var api = await client.Http.GetAsync("/api/dags", Token);
        using var login = await client.Http.GetAsync("/login", Token);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fdags%2Fetl%2Fgrid%3Fx%3D1", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var error = JsonDocument.Parse(await api.Content.ReadAsStringAsync(Token));
        Assert.StartsWith("Sign in first", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("data-action=\"login-submit\"", await login.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        // The sign-in page's own stylesheet is served before anyone signs in.
        using var css = await client.Http.GetAsync(WebRoutes.Asset("app.css"), Token);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.StartsWith("text/css", css.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ana", "guess-1")]
    [InlineData("bob", Password)]
    public async Task SignIn_WrongUserOrPassword_GivesTheOneGenericErrorAndNoSession(string user, string password)
    {
        await using var project = await StartAsync();
        using var client = new SignInClient(project.Service<WebUiService>().Url!);

        using var answer = await client.SignInAsync(user, password, Token);
        using var api = await client.Http.GetAsync("/api/dags", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync(Token);
        Assert.Contains("<p class=\"form-error\" role=\"alert\">user or password is wrong</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(password, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task SignIn_RightPassword_SetsAStrictHttpOnlyCookieServesPagesAndSignOutEndsIt()
    {
        await using var project = await StartAsync();
        using var client = new SignInClient(project.Service<WebUiService>().Url!);

        using var signIn = await client.SignInAsync("ANA", Password, Token, returnUrl: "/api/dags/etl");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/api/dags/etl", signIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Security.WebSecurity.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var api = await client.Http.GetAsync("/api/dags/etl", Token);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        // Any page shows who is signed in and a sign-out button (the 404 page too).
        using var page = await client.Http.GetAsync("/no/such/page", Token);
        var html = await page.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("data-user=\"ana\"", html, StringComparison.Ordinal);
        Assert.Contains("data-action=\"logout\"", html, StringComparison.Ordinal);

        var token = await client.TokenAsync("/no/such/page", Token);
        using var signOut = await client.Http.PostAsync("/logout", SignInClient.Form(("__RequestVerificationToken", token)), Token);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", signOut.Headers.Location!.OriginalString);
        using var after = await client.Http.GetAsync("/api/dags", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task SignIn_AReturnUrlElsewhere_GoesToTheDagsPageInstead(string returnUrl)
    {
        await using var project = await StartAsync();
        using var client = new SignInClient(project.Service<WebUiService>().Url!);

        using var signIn = await client.SignInAsync("ana", Password, Token, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/dags", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefusedWith400()
    {
        await using var project = await StartAsync();
        using var client = new SignInClient(project.Service<WebUiService>().Url!);
        using var signIn = await client.SignInAsync("ana", Password, Token);

        using var login = await client.Http.PostAsync("/login", SignInClient.Form(("user", "ana"), ("password", Password)), Token);
        using var logout = await client.Http.PostAsync("/logout", SignInClient.Form(), Token);
        using var elsewhere = await client.Http.PostAsync("/api/dags/etl", SignInClient.Form(), Token);
        using var still = await client.Http.GetAsync("/api/dags", Token);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (login.StatusCode, logout.StatusCode, elsewhere.StatusCode));
        Assert.Contains("anti-forgery token", await logout.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode); // the refused sign-out did not sign out
    }

    [Fact]
    public async Task SignIn_AfterRepeatedFailures_IsRefusedForAWhileEvenWithTheRightPassword()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var project = await StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        using var client = new SignInClient(project.Service<WebUiService>().Url!);
        for (var i = 0; i < Security.LoginThrottle.MaxFailures; i++)
        {
            using var wrong = await client.SignInAsync("ana", "guess" + i, Token);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await client.SignInAsync("ana", Password, Token);
        clock.Advance(Security.LoginThrottle.Lockout + TimeSpan.FromSeconds(1));
        using var later = await client.SignInAsync("ana", Password, Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("too many failed sign-ins; try again in 30 seconds", await throttled.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }
}
