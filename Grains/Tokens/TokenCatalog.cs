using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Management;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// API tokens, for the management API and the dashboard alike. A token leaves the service once, in the answer to its
/// create; only its SHA-256 hash and a visible prefix are stored. Revoking takes effect on every replica at once.
/// </summary>
public sealed class TokenCatalog(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    TokenInvalidation invalidation,
    TimeProvider clock,
    ILogger<TokenCatalog> logger)
{
    public const int MaxNameLength = 100;

    public const int MaxDescriptionLength = 1000;

    public async Task<ManagementResult<CreatedToken>> CreateAsync(CreateTokenRequest request, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(clock);
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
            return ManagementFailure.Invalid("The token is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Guid? projectId = null;
        if (type == ApiTokenType.Webhook)
        {
            projectId = await db.Projects.Where(p => p.Name == request.Project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            if (projectId is null)
            {
                return ManagementFailure.ProjectNotFound(request.Project!);
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
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        if (request.Project is not null)
        {
            // Replicas that cached the project's (empty) list of signing tokens learn about this one at once.
            await invalidation.ProjectTokensAsync(request.Project);
        }

        ManagementLog.TokenCreated(logger, token.Name, WireName(token.Type), token.Prefix, request.Project);
        return new CreatedToken(token.Id, token.Name, WireName(token.Type), token.Prefix, request.Project, token.CreatedAt, token.ExpiresAt, secret);
    }

    /// <summary>Every token, oldest first: name, type, prefix, project, created, last used (written every 30 s), expiry, revocation.</summary>
    public async Task<List<TokenView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiTokens.AsNoTracking()
            .OrderBy(t => t.CreatedAt)
            .Select(t => new
            {
                Token = t,
                Project = db.Set<Project>().Where(p => p.Id == t.ProjectId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return rows.Select(row => new TokenView(
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
            .ToList();
    }

    /// <summary>Revokes a token; every replica refuses it at once. Repeating it is harmless. Null when done.</summary>
    public async Task<ManagementFailure?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return ManagementFailure.NotFound("Token not found", $"There is no token with id '{id}'.");
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = StoredTime.Now(clock);
            await db.SaveChangesAsync(cancellationToken);
            ManagementLog.TokenRevoked(logger, token.Name, token.Prefix);
        }

        var project = token.ProjectId is null
            ? null
            : await db.Projects.Where(p => p.Id == token.ProjectId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken);
        // Also on a repeated revoke: the caller may be retrying after an invalidation that failed.
        await invalidation.TokenAsync(token.Hash, project);
        return null;
    }

    private static ApiTokenType? ParseType(string? type) => type?.ToLowerInvariant() switch
    {
        "webhook" => ApiTokenType.Webhook,
        "admin" => ApiTokenType.Admin,
        _ => null,
    };

    private static string WireName(ApiTokenType type) => type == ApiTokenType.Admin ? "admin" : "webhook";
}
