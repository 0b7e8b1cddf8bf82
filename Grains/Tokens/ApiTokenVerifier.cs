using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Tokens;

/// <summary>Who a presented token is, once verified.</summary>
public sealed record VerifiedToken(Guid Id, string Name, ApiTokenType Type, Guid? ProjectId);

/// <summary>
/// Checks a presented API token against the stored hashes. The lookup is by SHA-256 of the token, so the
/// comparison never touches the token itself and its timing reveals nothing useful.
/// </summary>
public sealed class ApiTokenVerifier(IDbContextFactory<WebhooksDbContext> dbFactory, TimeProvider timeProvider)
{
    public async Task<VerifiedToken?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 256)
        {
            return null;
        }

        var hash = ApiTokenSecret.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        return stored is not null && stored.IsUsableAt(timeProvider.GetUtcNow())
            ? new VerifiedToken(stored.Id, stored.Name, stored.Type, stored.ProjectId)
            : null;
    }

    public async Task<bool> IsAdminAsync(string? token, CancellationToken cancellationToken) =>
        await VerifyAsync(token, cancellationToken) is { Type: ApiTokenType.Admin };
}
