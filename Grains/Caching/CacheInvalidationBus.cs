using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Webhooks.Grains.Caching;

/// <summary>
/// Removes HybridCache entries on every replica. HybridCache has no cross-process L1 invalidation, so a removal is
/// broadcast on a Redis channel and every replica (this one included) drops the key from its memory; a short L1
/// lifetime on the entries bounds staleness if a broadcast is missed (Redis down). Shared by every cache that must
/// forget a change at once: receivers (rotation, deletion) and API tokens (revocation).
/// </summary>
public sealed partial class CacheInvalidationBus(HybridCache cache, IConnectionMultiplexer redis, ILogger<CacheInvalidationBus> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("whk:cache:invalidate");

    /// <summary>Forgets <paramref name="key"/> here (memory and Redis) and tells every other replica to forget it.</summary>
    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await cache.RemoveAsync(key, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            // The Redis copy may survive; the broadcast below still empties every replica's memory.
            LogBroadcastFailed(exception.Message);
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, key);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            LogBroadcastFailed(exception.Message);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
            queue.OnMessage(async message =>
            {
                var key = (string?)message.Message;
                if (!string.IsNullOrEmpty(key))
                {
                    try
                    {
                        await cache.RemoveAsync(key);
                    }
                    catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
                    {
                        LogBroadcastFailed(exception.Message);
                    }
                }
            });
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            // Without the channel, entries still expire from memory within their local lifetime.
            LogBroadcastFailed(exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache invalidation broadcast unavailable: {Reason}")]
    private partial void LogBroadcastFailed(string reason);
}
