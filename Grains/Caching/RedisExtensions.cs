using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Webhooks.Grains.Caching;

public static class RedisExtensions
{
    public const string ConnectionName = "redis";

    private static readonly TimeSpan CacheCommandTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Redis through Aspire's client integration (<c>ConnectionStrings:redis</c>): the caches' client, which fails fast,
    /// and a keyed client of the same name for Orleans' Redis clustering (Aspire's Orleans integration names it as the
    /// provider's <c>ServiceKey</c>), which keeps StackExchange.Redis' patient defaults for membership.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksRedis(this IHostApplicationBuilder builder)
    {
        var exported = Telemetry.IsExported(builder.Configuration);
        builder.AddRedisClient(
            ConnectionName,
            settings =>
            {
                // Redis is a cache here, never the truth: its own check below reports Degraded, not Unhealthy.
                settings.DisableHealthChecks = true;
                settings.DisableTracing = !exported;
            },
            options =>
            {
                // Start even when Redis is down and reconnect in the background.
                options.AbortOnConnectFail = false;
                // StackExchange.Redis waits 5 s per command by default, half of what Bitbucket Cloud waits for a whole
                // answer. A timeout written in the connection string still wins.
                if (!HasSetting(options, "syncTimeout"))
                {
                    options.SyncTimeout = (int)CacheCommandTimeout.TotalMilliseconds;
                }

                if (!HasSetting(options, "asyncTimeout"))
                {
                    options.AsyncTimeout = (int)CacheCommandTimeout.TotalMilliseconds;
                }
            });

        builder.AddKeyedRedisClient(
            ConnectionName,
            settings =>
            {
                settings.DisableHealthChecks = true;
                settings.DisableTracing = !exported;
            },
            options => options.AbortOnConnectFail = false);

        // Degraded, not Unhealthy: the services keep working from PostgreSQL while Redis is away.
        builder.Services.AddHealthChecks().AddRedis(
            services => services.GetRequiredService<IConnectionMultiplexer>(),
            name: ConnectionName,
            failureStatus: HealthStatus.Degraded,
            tags: ["ready", "redis"],
            timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    // ConfigurationOptions reports defaults as values; only its connection-string form tells what was set.
    private static bool HasSetting(ConfigurationOptions options, string name) =>
        options.ToString(includePassword: false).Contains(name + "=", StringComparison.OrdinalIgnoreCase);
}
