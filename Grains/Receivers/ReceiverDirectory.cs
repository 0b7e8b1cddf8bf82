using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// <see cref="IReceiverDirectory"/> over HybridCache: process memory (L1), then Redis (L2), then PostgreSQL.
/// A change is broadcast through the <see cref="CacheInvalidationBus"/> so every replica drops its L1 entry; a short
/// L1 lifetime bounds staleness if a broadcast is missed (Redis down).
/// </summary>
internal sealed partial class ReceiverDirectory(
    HybridCache cache,
    CacheInvalidationBus invalidation,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IConnectionMultiplexer redis,
    ILogger<ReceiverDirectory> logger) : IReceiverDirectory
{
    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromSeconds(10),
    };

    // While Redis is away: memory, then PostgreSQL, without waiting out a Redis timeout on every miss.
    private static readonly HybridCacheEntryOptions MemoryOnlyEntryOptions = new()
    {
        Expiration = EntryOptions.Expiration,
        LocalCacheExpiration = EntryOptions.LocalCacheExpiration,
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    public async ValueTask<ReceiverEntry?> FindAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.GetOrCreateAsync(
                CacheKey(path),
                (Directory: this, Path: path),
                static (state, token) => state.Directory.LoadAsync(state.Path, token),
                redis.IsConnected ? EntryOptions : MemoryOnlyEntryOptions,
                cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            // The cache is an optimisation: with Redis away, ingress keeps working from PostgreSQL.
            LogCacheUnavailable(exception.Message);
            return await LoadAsync(path, cancellationToken);
        }
    }

    public ValueTask InvalidateAsync(string path, CancellationToken cancellationToken) =>
        invalidation.InvalidateAsync(CacheKey(path), cancellationToken);

    private async ValueTask<ReceiverEntry?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Receivers.AsNoTracking()
            .Where(r => r.Path == path)
            .Select(r => new ReceiverEntry(
                r.Id,
                r.ProjectId,
                r.Project!.Name,
                r.Name,
                r.ProtectedSecret,
                r.ProtectedPreviousSecret,
                r.PreviousSecretValidUntil,
                r.ServerUrl,
                r.AllowedNetworks))
            .SingleOrDefaultAsync(cancellationToken);
    }

    private static string CacheKey(string path) => "receiver:" + path;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiver cache unavailable, reading PostgreSQL: {Reason}")]
    private partial void LogCacheUnavailable(string reason);
}
