using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Webhooks.Grains.Persistence;

namespace Webhooks.Dashboard.Resources;

/// <summary>
/// When the dashboard, PostgreSQL and Redis started, for the Resources page's uptime (receivers' come from their silos).
/// Each answer is optional: a resource that cannot say is shown without an uptime, never as an error.
/// </summary>
public sealed class ResourceStartTimes(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IConnectionMultiplexer redis,
    ILogger<ResourceStartTimes> logger)
{
    private static readonly DateTimeOffset ProcessStarted = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public static DateTimeOffset Dashboard => ProcessStarted;

    public async Task<DateTimeOffset?> PostgresAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var started = await db.Database.SqlQuery<DateTime>($"SELECT pg_postmaster_start_time() AS \"Value\"").SingleAsync(cancellationToken);
            return new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "PostgreSQL's start time could not be read");
            return null;
        }
    }

    public async Task<DateTimeOffset?> RedisAsync(DateTimeOffset now)
    {
        try
        {
            // INFO through Execute: IServer.Info needs the connection's admin mode, which the dashboard does not enable.
            var info = (string?)await redis.GetDatabase().ExecuteAsync("INFO", "server");
            var uptime = info?.Split('\n')
                .Select(line => line.Trim())
                .FirstOrDefault(line => line.StartsWith("uptime_in_seconds:", StringComparison.OrdinalIgnoreCase));
            return uptime is not null
                && long.TryParse(uptime["uptime_in_seconds:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? now - TimeSpan.FromSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A Redis without INFO (or without that line) simply has no uptime on the page.
            logger.LogDebug(e, "Redis's uptime could not be read");
            return null;
        }
    }
}
