using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Dashboard.Login;

public static class LoginApi
{
    /// <summary>
    /// <c>POST /logout</c> (a form with an antiforgery token, so another site cannot sign the operator out).
    /// Sign-in itself is the <c>/login</c> page.
    /// </summary>
    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", SignOutAsync)
            .WithName("SignOut")
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous();
        return app;
    }

    private static async Task<RedirectHttpResult> SignOutAsync(
        HttpContext http, ClaimsPrincipal user, ILogger<DashboardSession> logger)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (user.Identity?.IsAuthenticated == true)
        {
            logger.LogInformation("Dashboard sign-out of {TokenName}", user.Identity.Name);
        }

        return TypedResults.LocalRedirect("/login?signedOut=true");
    }
}
