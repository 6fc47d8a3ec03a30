using DagRunner.Hosting.Configuration;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DagRunner.Web.Security;

/// <summary>
/// Sign-in and anti-forgery. With users configured, every page and API asks for a signed-in user (a cookie
/// session: HttpOnly, SameSite=Strict, Secure over https, renewed by each request); pages send the browser to
/// <c>/login</c>, <c>/api</c> answers 401. Without users (loopback only) nothing asks. Either way, every request
/// that may change state (anything but GET, HEAD, OPTIONS, TRACE) must carry the anti-forgery token of a form
/// the UI served, or is refused with 400.
/// </summary>
internal static class WebSecurity
{
    public const string SessionCookie = "dagrunner.session";
    public const string AntiforgeryCookie = "dagrunner.antiforgery";

    public static void AddWebSecurity(this IServiceCollection services, WebOptions options, DagRunnerSettings settings, TimeProvider time)
    {
        // Sessions and anti-forgery tokens are sealed with keys kept in the home, so a restart, or `web` and
        // `standalone` on the same home, keep the same keys (and a signed-in browser stays signed in).
        services.AddDataProtection()
            .SetApplicationName("DagRunner.Web")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.Home, "web", "keys")));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = AntiforgeryCookie;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton(new WebUsers(options));
        services.AddSingleton(new LoginThrottle(time));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = SessionCookie;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.SessionIdle;
            cookie.SlidingExpiration = true;
            cookie.TimeProvider = time;
            cookie.LoginPath = WebRoutes.Login();
            cookie.LogoutPath = WebRoutes.Logout();
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized, "Sign in first: POST /login, then send the session cookie.");
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden, "Not allowed.");
        });
        services.AddAuthorization(authorization =>
        {
            // Every endpoint that does not say otherwise (AllowAnonymous: the sign-in page, the CSS) asks for a user.
            if (options.RequiresSignIn)
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
    }

    /// <summary>Authentication, authorization, anti-forgery, in that order (the tokens are bound to the user).</summary>
    public static void UseWebSecurity(this WebApplication web)
    {
        web.UseRouting();
        web.UseAuthentication();
        web.UseAuthorization();
        web.UseAntiforgery();
        web.Use(RequireAntiforgeryTokenAsync);
    }

    // UseAntiforgery checks only endpoints that bind a form; this checks every request that may change state,
    // whatever it binds, unless its endpoint opts out explicitly (DisableAntiforgery()).
    private static async Task RequireAntiforgeryTokenAsync(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe && context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is not { RequiresValidation: false })
        {
            // An endpoint that binds a form was checked by UseAntiforgery already (whose verdict guards the form).
            var valid = context.Features.Get<IAntiforgeryValidationFeature>() is { } checkedAlready
                ? checkedAlready.IsValid
                : await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false);
            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                const string why = "The anti-forgery token is missing or not valid for this session: reload the page and send the form again.";
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                    await context.Response.WriteAsJsonAsync(new { error = why }).ConfigureAwait(false);
                else
                    await context.Response.WriteAsync(why).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    // Pages go to the sign-in page (with where they were going); the API answers in JSON.
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status, string error)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new { error });
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
