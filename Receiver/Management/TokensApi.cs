using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;

namespace Webhooks.Receiver.Management;

/// <summary>
/// API tokens. A token leaves the service once, in the answer to its create; only its SHA-256 hash and a visible
/// prefix are stored. Revoking takes effect on every replica at once (cache invalidation broadcast).
/// </summary>
internal static class TokensApi
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tokens")
            .WithTags("Tokens")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/", CreateTokenAsync)
            .WithName("CreateToken")
            .WithSummary("Create an API token (type webhook with a project, or admin); the answer shows the token, here only")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/", ListTokensAsync)
            .WithName("ListTokens")
            .WithSummary("Every token: name, type, prefix, project, created, last used (written every 30 s), expiry, revocation");

        api.MapDelete("/{id:guid}", RevokeTokenAsync)
            .WithName("RevokeToken")
            .WithSummary("Revoke a token; every replica refuses it at once")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<CreatedToken>, ValidationProblem, ProblemHttpResult>> CreateTokenAsync(
        CreateTokenRequest request,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var now = services.Now();
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"Use 1 to {MaxNameLength} printable characters."];
        }

        var type = ParseType(request.Type);
        if (type is null)
        {
            errors["type"] = ["Use 'webhook' (for a project's ARM-style endpoints) or 'admin' (for the management API)."];
        }
        else if (type == ApiTokenType.Webhook && string.IsNullOrEmpty(request.Project))
        {
            errors["project"] = ["A webhook token belongs to a project: name it."];
        }
        else if (type == ApiTokenType.Admin && request.Project is not null)
        {
            errors["project"] = ["An admin token belongs to no project: leave it out."];
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"Use at most {MaxDescriptionLength} characters."];
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors["expiresAt"] = ["The expiry must be in the future."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The token is not valid.");
        }

        Guid? projectId = null;
        if (type == ApiTokenType.Webhook)
        {
            projectId = await services.Db.Projects.Where(p => p.Name == request.Project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            if (projectId is null)
            {
                return ManagementProblems.ProjectNotFound(request.Project!);
            }
        }

        var secret = ApiTokenSecret.Generate();
        var token = new ApiToken
        {
            Name = name!,
            Type = type!.Value,
            Description = request.Description,
            ProjectId = projectId,
            Prefix = ApiTokenSecret.VisiblePrefix(secret),
            Hash = ApiTokenSecret.Hash(secret),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        services.Db.ApiTokens.Add(token);
        await services.Db.SaveChangesAsync(cancellationToken);
        if (request.Project is not null)
        {
            // Replicas that cached the project's (empty) list of signing tokens learn about this one at once.
            await InvalidateAsync(services, () => services.Tokens.InvalidateProjectAsync(request.Project, CancellationToken.None));
        }

        ManagementLog.TokenCreated(services.Logger, token.Name, WireName(token.Type), token.Prefix, request.Project);
        return TypedResults.Created(
            $"/api/tokens/{token.Id}",
            new CreatedToken(token.Id, token.Name, WireName(token.Type), token.Prefix, request.Project, token.CreatedAt, token.ExpiresAt, secret));
    }

    public static async Task<Ok<List<TokenView>>> ListTokensAsync(
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var rows = await db.ApiTokens.AsNoTracking()
            .OrderBy(t => t.CreatedAt)
            .Select(t => new
            {
                Token = t,
                Project = db.Projects.Where(p => p.Id == t.ProjectId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var now = services.Clock.GetUtcNow();
        return TypedResults.Ok(rows.Select(row => new TokenView(
                row.Token.Id,
                row.Token.Name,
                WireName(row.Token.Type),
                row.Token.Description,
                row.Token.Prefix,
                row.Project,
                row.Token.CreatedAt,
                row.Token.LastUsedAt,
                row.Token.ExpiresAt,
                row.Token.RevokedAt,
                row.Token.IsUsableAt(now)))
            .ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        Guid id,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Token not found",
                detail: $"There is no token with id '{id}'.");
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = services.Now();
            await db.SaveChangesAsync(cancellationToken);
            ManagementLog.TokenRevoked(services.Logger, token.Name, token.Prefix);
        }

        var project = token.ProjectId is null
            ? null
            : await db.Projects.Where(p => p.Id == token.ProjectId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        // Also on a repeated revoke: the caller may be retrying after an invalidation that failed.
        await services.InvalidateTokenAsync(token.Hash, project);
        return TypedResults.NoContent();
    }

    /// <summary>The change is committed: a failing cache is logged, not turned into an error (as for receivers).</summary>
    private static async Task InvalidateAsync(ManagementServices services, Func<ValueTask> invalidate)
    {
        try
        {
            await invalidate();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.TokenInvalidationFailed(services.Logger, e);
        }
    }

    private static ApiTokenType? ParseType(string? type) => type?.ToLowerInvariant() switch
    {
        "webhook" => ApiTokenType.Webhook,
        "admin" => ApiTokenType.Admin,
        _ => null,
    };

    private static string WireName(ApiTokenType type) => type == ApiTokenType.Admin ? "admin" : "webhook";
}
