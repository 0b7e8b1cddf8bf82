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

    private const string MalformedHeader = "The Authorization header is not 'Bearer <token>'.";

    private const string UnknownToken = "The token is unknown, revoked or expired.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(authorization))
        {
            return AuthenticateResult.NoResult();
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization["Bearer ".Length..].Trim() is not { Length: > 0 } token)
        {
            return AuthenticateResult.Fail(MalformedHeader);
        }

        var verified = await verifier.VerifyAsync(token, Context.RequestAborted);
        if (verified is null)
        {
            // Deliberately vague: which of unknown, revoked or expired is nobody's business.
            return AuthenticateResult.Fail(UnknownToken);
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

    /// <summary>401 as problem details saying what was missing or wrong; never echoes the header.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            failure is null ? "No token" : failure == MalformedHeader ? "Malformed Authorization header" : "Token not accepted",
            failure is null
                ? "Send an admin API token: Authorization: Bearer <token>."
                : $"{failure} Send an admin API token: Authorization: Bearer <token>.");
    }

    /// <summary>403 as problem details: a valid token that is not an admin token (a webhook token).</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "Admin token required",
            "This token is a webhook token: it authorises only its project's ARM-style webhook endpoints. The management API needs an admin token.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
