using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Webhooks.AppHost.Redis;

/// <summary>Healthy once Redis answers PING (and has loaded its append-only file: until then it answers LOADING).</summary>
internal sealed class RedisHealthCheck(RedisServerResource server) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var options = ConfigurationOptions.Parse(await server.ConnectionStringExpression.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "");
            options.ConnectTimeout = 3000;
            options.AbortOnConnectFail = true;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            await connection.GetDatabase().PingAsync().ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{server.Name} does not answer yet: {e.Message}");
        }
    }
}
