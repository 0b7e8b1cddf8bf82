using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Events;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Not reentrant: routing is a handful of short database writes, and one event at a time keeps the subscription
/// cache and its invalidation simple. Refreshes themselves never run here.
/// </summary>
public sealed partial class RepositoryGrain(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<RepositoryGrain> logger) : Grain, IRepositoryGrain
{
    // A safety net for an invalidation lost to a silo failure: subscriptions are reloaded at least this often.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    private List<SubscriptionRule>? _rules;
    private DateTimeOffset _loadedAt;

    public async Task<int> RouteAsync(Guid deliveryId, BitbucketEvent bitbucketEvent)
    {
        var rules = await RulesAsync();
        var triggers = PushRouting.Route(deliveryId, bitbucketEvent, rules);
        var acknowledgements = await Task.WhenAll(triggers.Select(pair =>
            grains.GetGrain<IWarehouseGrain>(pair.Key).RequestRefreshAsync(pair.Value)));

        await using var db = await dbFactory.CreateDbContextAsync();
        var now = clock.GetUtcNow();
        var count = triggers.Count;
        // Dispatched, or straight to processed when every asked warehouse is already done with it (nothing matched,
        // all deduplicated, or refreshes faster than this update). The count also goes into the recorded answer.
        await db.Database.ExecuteSqlInterpolatedAsync($$"""
            UPDATE deliveries d SET
                "State" = CASE WHEN EXISTS (SELECT 1 FROM refresh_requests r WHERE r."DeliveryId" = d."Id" AND r."CompletedAt" IS NULL)
                    THEN 'Dispatched' ELSE 'Processed' END,
                "DispatchedAt" = {{now}},
                "ProcessedAt" = CASE WHEN EXISTS (SELECT 1 FROM refresh_requests r WHERE r."DeliveryId" = d."Id" AND r."CompletedAt" IS NULL)
                    THEN NULL ELSE {{now}} END,
                "Answer" = CASE WHEN d."Answer" IS NULL THEN NULL ELSE jsonb_set(d."Answer", '{warehouses}', to_jsonb({{count}})) END
            WHERE d."Id" = {{deliveryId}} AND d."State" = 'Accepted'
            """);

        LogRouted(this.GetPrimaryKeyString(), deliveryId, count, acknowledgements.Count(a => a.Outcome == RefreshRequestOutcome.Deduplicated));
        return count;
    }

    public Task InvalidateAsync()
    {
        _rules = null;
        return Task.CompletedTask;
    }

    private async Task<List<SubscriptionRule>> RulesAsync()
    {
        if (_rules is not null && clock.GetUtcNow() - _loadedAt < CacheLifetime)
        {
            return _rules;
        }

        var key = this.GetPrimaryKeyString();
        await using var db = await dbFactory.CreateDbContextAsync();
        var subscriptions = await db.Subscriptions.AsNoTracking()
            .Where(s => s.RepositoryKey == key)
            .OrderBy(s => s.WarehouseId).ThenBy(s => s.Position)
            .ToListAsync();
        _rules = subscriptions.Select(SubscriptionRule.From).ToList();
        _loadedAt = clock.GetUtcNow();
        return _rules;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed delivery {DeliveryId} of {RepositoryKey} to {Warehouses} warehouse(s), {Deduplicated} deduplicated")]
    private partial void LogRouted(string repositoryKey, Guid deliveryId, int warehouses, int deduplicated);
}
