using System.Security.Claims;
using DagRunner.Web.Pages.Shared;
using DagRunner.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DagRunner.Web.Pages.Login;

/// <summary><c>GET /login</c> (the form), <c>POST /login</c> (check, then the session cookie) and <c>POST /logout</c>;
/// mapped only when users are configured.</summary>
internal static class LoginEndpoints
{
    /// <summary>The one message of a failed sign-in: it does not tell a wrong name from a wrong password.</summary>
    public const string WrongCredentials = "user or password is wrong";

    public static void MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(WebRoutes.Login(), IResult (string? returnUrl) =>
            PageResults.Page<LoginPage>(new { ReturnUrl = LocalUrl(returnUrl) })).AllowAnonymous();

        endpoints.MapPost(WebRoutes.Login(), async Task<IResult> (
            [FromForm(Name = "user")] string? user, [FromForm(Name = "password")] string? password, [FromForm(Name = "returnUrl")] string? returnUrl,
            HttpContext context, WebUsers users, LoginThrottle throttle) =>
        {
            var (name, address) = ((user ?? "").Trim(), context.Connection.RemoteIpAddress?.ToString() ?? "?");
            var local = LocalUrl(returnUrl);
            if (throttle.Wait(name, address) is { } wait)
            {
                return Form(local, name, $"too many failed sign-ins; try again in {Math.Ceiling(wait.TotalSeconds):0} seconds", StatusCodes.Status429TooManyRequests);
            }

            if (name.Length == 0 || string.IsNullOrEmpty(password) || users.Check(name, password) is not { } signedIn)
            {
                throttle.Failed(name, address);
                return Form(local, name, WrongCredentials, StatusCodes.Status401Unauthorized);
            }

            throttle.Succeeded(name, address);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, signedIn.Name)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            return Results.Redirect(local ?? WebRoutes.Dags());
        }).AllowAnonymous();

        endpoints.MapPost(WebRoutes.Logout(), async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect(WebRoutes.Login());
        }).AllowAnonymous();
    }

    private static RazorComponentResult<LoginPage> Form(string? returnUrl, string user, string error, int status) =>
        new(new { ReturnUrl = returnUrl, User = user, Error = error }) { StatusCode = status };

    /// <summary><paramref name="url"/> when it is a path on this site (<c>/dags?x</c>), else null: never a redirect elsewhere
    /// (<c>//evil.example</c>, <c>/\evil.example</c>, <c>https://...</c>).</summary>
    internal static string? LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : null;
}
