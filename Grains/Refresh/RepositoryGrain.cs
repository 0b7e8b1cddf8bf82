using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Events;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Not reentrant: a call only matches the event against the cached subscriptions and queues the dispatch, so one at a
/// time is cheap and keeps the subscription cache and its invalidation simple. The dispatch itself (refresh requests,
/// marking the deliveries) runs in batches in the background (<see cref="DeliveryDispatch"/>), interleaved with calls on
/// the activation's scheduler. Refreshes themselves never run here.
/// </summary>
public sealed partial class RepositoryGrain(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IGrainFactory grains,
    DispatchWriter writer,
    TimeProvider clock,
    ILogger<RepositoryGrain> logger) : Grain, IRepositoryGrain
{
    private DeliveryDispatch _dispatch = null!;
    private ReloadedCopy<List<SubscriptionRule>> _rules = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _dispatch = new DeliveryDispatch(grains, writer, clock.GetUtcNow, logger);
        _rules = new ReloadedCopy<List<SubscriptionRule>>(LoadRulesAsync, clock, e => LogReloadFailed(this.GetPrimaryKeyString(), e.GetType().Name, e.Message));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Finish what is queued; whatever a hard stop cuts off stays accepted and the sweeper dispatches it.
        try
        {
            await _dispatch.Drained.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task<int> AcceptAsync(Guid deliveryId, BitbucketEvent bitbucketEvent) => QueueAsync(deliveryId, bitbucketEvent, waitForDispatch: false);

    public Task<int> RouteAsync(Guid deliveryId, BitbucketEvent bitbucketEvent) => QueueAsync(deliveryId, bitbucketEvent, waitForDispatch: true);

    /// <summary>Matches the event, queues its dispatch and returns how many warehouses it will ask.</summary>
    private async Task<int> QueueAsync(Guid deliveryId, BitbucketEvent bitbucketEvent, bool waitForDispatch)
    {
        var triggers = PushRouting.Route(deliveryId, bitbucketEvent, await _rules.GetAsync());
        if (_dispatch.TryEnqueue(deliveryId, triggers, out var dispatched) && waitForDispatch)
        {
            await dispatched;
        }

        LogAccepted(this.GetPrimaryKeyString(), deliveryId, triggers.Count);
        return triggers.Count;
    }

    public Task InvalidateAsync()
    {
        _rules.Invalidate();
        return Task.CompletedTask;
    }

    private async Task<List<SubscriptionRule>> LoadRulesAsync()
    {
        var key = this.GetPrimaryKeyString();
        await using var db = await dbFactory.CreateDbContextAsync();
        var subscriptions = await db.Subscriptions.AsNoTracking()
            .Where(s => s.RepositoryKey == key)
            .OrderBy(s => s.WarehouseId).ThenBy(s => s.Position)
            .ToListAsync();
        return subscriptions.Select(SubscriptionRule.From).ToList();
    }

    // Debug: one line per delivery would be the busiest log of the service; the metrics and the delivery's history
    // (its answer and refreshes) say the same.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} of {RepositoryKey} matched {Warehouses} warehouse(s)")]
    private partial void LogAccepted(string repositoryKey, Guid deliveryId, int warehouses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the subscriptions of {RepositoryKey} ({Error}: {Reason}); the copy loaded before is kept")]
    private partial void LogReloadFailed(string repositoryKey, string error, string reason);
}
