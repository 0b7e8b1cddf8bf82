using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Webhooks.Grains.Tokens;

namespace Webhooks.Receiver.Authentication;

/// <summary>
/// Authenticates the management API: <c>Authorization: Bearer &lt;api token&gt;</c>, checked against the stored
/// token hashes. Admin tokens get the admin role; webhook tokens authenticate but are not admins.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenVerifier verifier) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string AdminPolicy = "admin";
    public const string AdminRole = "admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = authorization["Bearer ".Length..].Trim();
        var verified = await verifier.VerifyAsync(token, Context.RequestAborted);
        if (verified is null)
        {
            // Deliberately vague: which of unknown, revoked or expired is nobody's business.
            return AuthenticateResult.Fail("The token is not valid.");
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, verified.Id.ToString()),
            new(ClaimTypes.Name, verified.Name),
        ];
        if (verified.Type == ApiTokenType.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
