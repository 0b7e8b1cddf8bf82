using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Tokens;

/// <summary>Who a presented token is, once verified.</summary>
public sealed record VerifiedToken(Guid Id, string Name, ApiTokenType Type, Guid? ProjectId);

/// <summary>
/// Checks a presented API token against the stored hashes. The lookup is by SHA-256 of the token, so the
/// comparison never touches the token itself and its timing reveals nothing useful.
/// Where a <see cref="HybridCache"/> is registered (the receiver), lookups go memory → Redis → PostgreSQL, and
/// <see cref="InvalidateAsync"/> (through the <see cref="CacheInvalidationBus"/>) makes a revocation count on every
/// replica at once. Expiry needs no invalidation: it is checked against the clock on every use. Successful uses are
/// recorded in <see cref="ApiTokenUsage"/>, which a background service writes in batches.
/// </summary>
public sealed class ApiTokenVerifier(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    TimeProvider timeProvider,
    ApiTokenUsage usage,
    HybridCache? cache = null,
    CacheInvalidationBus? invalidation = null)
{
    private static readonly HybridCacheEntryOptions TokenEntryOptions = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromSeconds(10),
    };

    // The stored hash of a webhook token is also its HMAC key (see ApiTokenSecret.SigningKey): it stays in this
    // process's memory and never goes to Redis.
    private static readonly HybridCacheEntryOptions SigningKeyEntryOptions = new()
    {
        Expiration = TimeSpan.FromSeconds(10),
        LocalCacheExpiration = TimeSpan.FromSeconds(10),
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    public async Task<VerifiedToken?> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 256)
        {
            return null;
        }

        var hash = ApiTokenSecret.Hash(token);
        var stored = cache is null
            ? await LoadAsync(hash, cancellationToken)
            : (await cache.GetOrCreateAsync(
                TokenCacheKey(hash),
                (Verifier: this, Hash: hash),
                static async (state, ct) => new CachedTokenLookup(await state.Verifier.LoadAsync(state.Hash, ct)),
                TokenEntryOptions,
                cancellationToken: cancellationToken)).Token;
        var now = timeProvider.GetUtcNow();
        if (stored is null || !stored.IsUsableAt(now))
        {
            return null;
        }

        usage.Record(stored.Id, now);
        return new VerifiedToken(stored.Id, stored.Name, stored.Type, stored.ProjectId);
    }

    public async Task<bool> IsAdminAsync(string? token, CancellationToken cancellationToken) =>
        await VerifyAsync(token, cancellationToken) is { Type: ApiTokenType.Admin };

    /// <summary>
    /// The project named <paramref name="projectName"/> with the HMAC keys of its usable webhook tokens; null when
    /// there is no such project.
    /// </summary>
    public async Task<ProjectWebhookTokens?> FindProjectTokensAsync(string projectName, CancellationToken cancellationToken)
    {
        var entry = cache is null
            ? await LoadProjectTokensAsync(projectName, cancellationToken)
            : await cache.GetOrCreateAsync(
                ProjectCacheKey(projectName),
                (Verifier: this, Project: projectName),
                static (state, ct) => state.Verifier.LoadProjectTokensAsync(state.Project, ct),
                SigningKeyEntryOptions,
                cancellationToken: cancellationToken);
        if (entry is null)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        return entry with { Tokens = entry.Tokens.Where(t => t.IsUsableAt(now)).ToList() };
    }

    /// <summary>Records a use of a token verified some other way (an HMAC signature keyed with it).</summary>
    public void RecordUse(Guid tokenId) => usage.Record(tokenId, timeProvider.GetUtcNow());

    /// <summary>Forgets a token here and on every replica: call after it is revoked or deleted.</summary>
    public async ValueTask InvalidateAsync(byte[] hash, string? projectName, CancellationToken cancellationToken)
    {
        if (invalidation is null)
        {
            return;
        }

        await invalidation.InvalidateAsync(TokenCacheKey(hash), cancellationToken);
        if (projectName is not null)
        {
            await InvalidateProjectAsync(projectName, cancellationToken);
        }
    }

    /// <summary>Forgets a project's webhook tokens here and on every replica: after a token is created or revoked.</summary>
    public async ValueTask InvalidateProjectAsync(string projectName, CancellationToken cancellationToken)
    {
        if (invalidation is not null)
        {
            await invalidation.InvalidateAsync(ProjectCacheKey(projectName), cancellationToken);
        }
    }

    private async Task<CachedToken?> LoadAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash)
            .Select(t => new CachedToken(t.Id, t.Name, t.Type, t.ProjectId, t.ExpiresAt, t.RevokedAt))
            .SingleOrDefaultAsync(cancellationToken);
    }

    private async ValueTask<ProjectWebhookTokens?> LoadProjectTokensAsync(string projectName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking()
            .Where(p => p.Name == projectName)
            .Select(p => new { p.Id, p.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (project is null)
        {
            return null;
        }

        var tokens = await db.ApiTokens.AsNoTracking()
            .Where(t => t.ProjectId == project.Id && t.Type == ApiTokenType.Webhook && t.RevokedAt == null)
            .Select(t => new WebhookSigningKey(t.Id, t.Hash, t.ExpiresAt))
            .ToListAsync(cancellationToken);
        return new ProjectWebhookTokens(project.Id, project.Name, tokens);
    }

    // Keyed by a hash of the hash: the stored hash of a webhook token is an HMAC key and must not appear in Redis.
    private static string TokenCacheKey(byte[] hash) => "token:" + Convert.ToHexStringLower(SHA256.HashData(hash));

    private static string ProjectCacheKey(string projectName) => "webhook-tokens:" + projectName;

    /// <summary>What the cache keeps of a token; null <see cref="Token"/> = no such token.</summary>
    internal sealed record CachedTokenLookup(CachedToken? Token);

    internal sealed record CachedToken(Guid Id, string Name, ApiTokenType Type, Guid? ProjectId, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
    {
        public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
    }
}
