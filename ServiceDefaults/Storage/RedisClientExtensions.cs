using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers an <see cref="IConnectionMultiplexer"/> by connection-string name, the way Aspire's
/// <c>AddRedisClient</c> does, with a health check.
/// </summary>
public static class RedisClientExtensions
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(1);

    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The Redis connection string 'ConnectionStrings:{connectionName}' is missing. " +
                $"Start the stack with 'dotnet run --project AppHost', or set ConnectionStrings__{connectionName}.");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Start even when Redis is down and reconnect in the background: Redis is a cache here, never the truth.
        options.AbortOnConnectFail = false;
        // A cache must fail fast: StackExchange.Redis waits 5 s per command by default, half of what Bitbucket Cloud
        // waits for a whole answer. A timeout written in the connection string still wins.
        if (!HasSetting(options, "syncTimeout"))
        {
            options.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        }

        if (!HasSetting(options, "asyncTimeout"))
        {
            options.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        // Degraded, not Unhealthy: the services keep working from PostgreSQL while Redis is away.
        builder.Services.AddHealthChecks().AddRedis(
            services => services.GetRequiredService<IConnectionMultiplexer>(),
            name: connectionName,
            failureStatus: HealthStatus.Degraded,
            tags: ["ready", "redis"],
            timeout: TimeSpan.FromSeconds(3));

        return builder;
    }

    // ConfigurationOptions reports defaults as values; only its connection-string form tells what was set.
    private static bool HasSetting(ConfigurationOptions options, string name) =>
        options.ToString(includePassword: false).Contains(name + "=", StringComparison.OrdinalIgnoreCase);
}
