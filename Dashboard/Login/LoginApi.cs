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

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(
        HttpContext http, ClaimsPrincipal user, ILogger<DashboardSession> logger)
    {
        // UseAntiforgery() checks the token and records its verdict but lets the request through: only form binding
        // acts on it, and this endpoint binds no form. Another site's page must not be able to sign the operator out.
        // (A body of its own: an empty 400 would be re-executed as the not-found page, which reads the forged form.)
        if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
        {
            return TypedResults.Problem("The sign-out form was sent without a valid antiforgery token.", statusCode: StatusCodes.Status400BadRequest);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (user.Identity?.IsAuthenticated == true)
        {
            logger.LogInformation("Dashboard sign-out of {TokenName}", user.Identity.Name);
        }

        return TypedResults.LocalRedirect("/login?signedOut=true");
    }
}
