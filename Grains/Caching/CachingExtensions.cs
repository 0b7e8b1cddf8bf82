using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Webhooks.Grains.Caching;

public static class CachingExtensions
{
    /// <summary>
    /// The caches every service shares: HybridCache (memory, then Redis), the <see cref="CacheInvalidationBus"/> that
    /// makes a change count on every replica at once. Needs the Redis client
    /// (<c>AddRedisClient</c>).
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHybridCache();
        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) =>
            {
                options.InstanceName = "whk:cache:";
                options.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
            });
        builder.Services.AddSingleton<CacheInvalidationBus>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CacheInvalidationBus>());
        return builder;
    }
}
