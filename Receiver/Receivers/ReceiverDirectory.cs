using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;
using Webhooks.Grains.Persistence;

namespace Webhooks.Receiver.Receivers;

/// <summary>
/// <see cref="IReceiverDirectory"/> over HybridCache: process memory (L1), then Redis (L2), then PostgreSQL.
/// HybridCache has no cross-process L1 invalidation, so a change is broadcast on a Redis channel and every replica
/// drops its L1 entry; a short L1 lifetime bounds staleness if a broadcast is missed (Redis down).
/// </summary>
internal sealed partial class ReceiverDirectory : IReceiverDirectory, IHostedService
{
    private static readonly RedisChannel InvalidationChannel = RedisChannel.Literal("whk:receivers:invalidate");

    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromSeconds(10),
    };

    private readonly HybridCache _cache;
    private readonly IDbContextFactory<WebhooksDbContext> _dbFactory;
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<ReceiverDirectory> _logger;

    public ReceiverDirectory(HybridCache cache, IDbContextFactory<WebhooksDbContext> dbFactory, IConnectionMultiplexer redis, ILogger<ReceiverDirectory> logger)
    {
        _cache = cache;
        _dbFactory = dbFactory;
        _redis = redis;
        _logger = logger;
    }

    public async ValueTask<ReceiverEntry?> FindAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.GetOrCreateAsync(
                CacheKey(path),
                (Directory: this, Path: path),
                static (state, token) => state.Directory.LoadAsync(state.Path, token),
                EntryOptions,
                cancellationToken: cancellationToken);
        }
        catch (RedisException exception)
        {
            // The cache is an optimisation: with Redis away, ingress keeps working from PostgreSQL.
            LogCacheUnavailable(exception.Message);
            return await LoadAsync(path, cancellationToken);
        }
    }

    public async ValueTask InvalidateAsync(string path, CancellationToken cancellationToken)
    {
        await _cache.RemoveAsync(CacheKey(path), cancellationToken);
        try
        {
            await _redis.GetSubscriber().PublishAsync(InvalidationChannel, path);
        }
        catch (RedisException exception)
        {
            LogBroadcastFailed(exception.Message);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queue = await _redis.GetSubscriber().SubscribeAsync(InvalidationChannel);
            queue.OnMessage(async message =>
            {
                var path = (string?)message.Message;
                if (!string.IsNullOrEmpty(path))
                {
                    await _cache.RemoveAsync(CacheKey(path));
                }
            });
        }
        catch (RedisException exception)
        {
            // Without the channel, entries still expire from memory within LocalCacheExpiration.
            LogBroadcastFailed(exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask<ReceiverEntry?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
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
                r.ServerUrl))
            .SingleOrDefaultAsync(cancellationToken);
    }

    private static string CacheKey(string path) => "receiver:" + path;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiver cache unavailable, reading PostgreSQL: {Reason}")]
    private partial void LogCacheUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not broadcast a receiver cache invalidation: {Reason}")]
    private partial void LogBroadcastFailed(string reason);
}
