using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Refresh;

namespace Webhooks.Receiver.Routing;

/// <summary>
/// Finishes what ingress could not: a delivery committed but left <c>accepted</c> for longer than
/// <see cref="RefreshOptions.AcceptedGrace"/> (the replica crashed between commit and dispatch, or the repository
/// grain did not answer in time) is parsed again from its stored body and routed. Every replica sweeps; routing is
/// idempotent per delivery. (Processed needs no sweep: it is derived from the refresh requests, see
/// <see cref="DeliveryStatus"/>.)
/// </summary>
internal sealed partial class UndispatchedDeliverySweeper(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    DeliveryRouter router,
    IOptions<RefreshOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<UndispatchedDeliverySweeper> logger) : PeriodicWork(lifetime, clock, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Name => "Delivery sweep";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var acceptedBefore = now - options.Value.AcceptedGrace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var delivery in await DeliveryLifecycle.StrandedAsync(db, acceptedBefore, BatchSize, cancellationToken))
        {
            var parsed = StoredEvent.Parse(delivery.CompressedBody, delivery.Event, delivery.Source, delivery.ServerUrl);
            if (parsed.Succeeded && DeliveryRouter.Routes(parsed.Event.Kind))
            {
                var warehouses = await router.TryRouteAsync(delivery.Id, parsed.Event, cancellationToken);
                LogDispatched(Logger, delivery.Id, warehouses);
            }
            else
            {
                // Nothing to route (an event we do not act on, or a body that no longer parses): nothing left to do.
                await DeliveryLifecycle.MarkProcessedWithoutDispatchAsync(db, delivery.Id, now, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatched delivery {DeliveryId} left accepted: {Warehouses} warehouse(s)")]
    private static partial void LogDispatched(ILogger logger, Guid deliveryId, int? warehouses);
}
