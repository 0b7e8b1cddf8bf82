using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;

namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>
/// Tells whether a delivery was seen before: by Bitbucket's delivery id, or by the SHA-256 of its body within the
/// dedupe window (a replay under a new id). Redis answers the fast check; the unique dedupe key in PostgreSQL is
/// the truth that catches whatever Redis misses (two copies racing, Redis restarted or down).
/// Keys are written only after the row is committed, so a request that failed with 503 is never called a duplicate
/// when Bitbucket retries it.
/// </summary>
public sealed partial class DeliveryDeduplicator(
    IConnectionMultiplexer redis,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IOptions<IngressOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryDeduplicator> logger)
{
    /// <summary>The key PostgreSQL's unique index holds for the delivery that owns a (scope, delivery id).</summary>
    public static string DedupeKey(string scope, string? requestId, byte[] bodySha256) =>
        string.IsNullOrEmpty(requestId) ? $"{scope}:sha256:{Convert.ToHexStringLower(bodySha256)}" : $"{scope}:{requestId}";

    /// <summary>The id of the delivery this one repeats, or null when it is new.</summary>
    public async Task<Guid?> FindOriginalAsync(string scope, string? requestId, byte[] bodySha256, CancellationToken cancellationToken)
    {
        // With Redis down, every command would wait out its timeout in the reconnect backlog: go straight to the truth.
        if (!redis.IsConnected)
        {
            return await FindOriginalInDatabaseAsync(scope, requestId, bodySha256, cancellationToken);
        }

        try
        {
            var values = await redis.GetDatabase().StringGetAsync([BodyKey(scope, bodySha256), IdKey(scope, requestId, bodySha256)]);
            foreach (var value in values)
            {
                if (value.HasValue && Guid.TryParse(value.ToString(), out var original))
                {
                    return original;
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(exception.Message);
            return await FindOriginalInDatabaseAsync(scope, requestId, bodySha256, cancellationToken);
        }
    }

    /// <summary>The delivery that owns <paramref name="dedupeKey"/> in PostgreSQL.</summary>
    public async Task<Guid?> FindOwnerAsync(string dedupeKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.DedupeKey == dedupeKey)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Remembers a committed delivery in Redis for the dedupe window; best effort.</summary>
    public void Remember(string scope, string? requestId, byte[] bodySha256, Guid deliveryId)
    {
        if (!redis.IsConnected)
        {
            // PostgreSQL's unique key still catches a retry; the keys would only pile up in the reconnect backlog.
            return;
        }

        try
        {
            var database = redis.GetDatabase();
            var window = options.Value.DedupeWindow;
            var value = deliveryId.ToString();
            database.StringSet(IdKey(scope, requestId, bodySha256), value, window, flags: CommandFlags.FireAndForget);
            database.StringSet(BodyKey(scope, bodySha256), value, window, flags: CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            LogRedisUnavailable(exception.Message);
        }
    }

    private async Task<Guid?> FindOriginalInDatabaseAsync(string scope, string? requestId, byte[] bodySha256, CancellationToken cancellationToken)
    {
        var dedupeKey = DedupeKey(scope, requestId, bodySha256);
        var since = timeProvider.GetUtcNow() - options.Value.DedupeWindow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.DedupeKey == dedupeKey
                || (d.DedupeKey != null && d.BodySha256 == bodySha256 && d.ReceivedAt > since && d.DedupeKey.StartsWith(scope + ":")))
            .OrderBy(d => d.ReceivedAt)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static RedisKey IdKey(string scope, string? requestId, byte[] bodySha256) => "whk:seen:" + DedupeKey(scope, requestId, bodySha256);

    private static RedisKey BodyKey(string scope, byte[] bodySha256) => $"whk:seen:{scope}:body:{Convert.ToHexStringLower(bodySha256)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for duplicate detection, using PostgreSQL: {Reason}")]
    private partial void LogRedisUnavailable(string reason);
}
