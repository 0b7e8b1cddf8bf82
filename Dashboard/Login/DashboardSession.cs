using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Webhooks.Grains.Tokens;

namespace Webhooks.Dashboard.Login;

/// <summary>
/// The operator's session: an admin token is checked once at sign-in and the browser then holds an
/// HttpOnly, SameSite=Strict cookie. The token itself never goes into the cookie or the log.
/// </summary>
public sealed class DashboardSession(ApiTokenVerifier verifier, ILogger<DashboardSession> logger)
{
    public const string CookieName = ".Webhooks.Dashboard";

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public const string TokenIdClaim = "webhooks:token-id";

    /// <summary>Signs in when <paramref name="token"/> is a usable admin token; false otherwise, whatever the reason.</summary>
    public async Task<bool> SignInAsync(HttpContext http, string? token)
    {
        var verified = await verifier.VerifyAsync(token?.Trim(), http.RequestAborted);
        if (verified is not { Type: ApiTokenType.Admin })
        {
            logger.LogWarning("Dashboard sign-in refused from {RemoteAddress}", http.Connection.RemoteIpAddress);
            return false;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, verified.Name), new Claim(TokenIdClaim, verified.Id.ToString())],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });
        logger.LogInformation("Dashboard sign-in with admin token {TokenName}", verified.Name);
        return true;
    }

    /// <summary>Only local paths: a crafted returnUrl must not turn the login page into an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl)
        && returnUrl.StartsWith('/')
        && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
        && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
