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
/// grain did not answer in time) is parsed again from its stored body and routed; one left <c>dispatched</c> whose
/// refresh requests are all complete is marked processed. Every replica sweeps; routing is idempotent per delivery.
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
        var receivers = db.Receivers;
        var stranded = await db.Deliveries.AsNoTracking()
            .Where(d => d.State == DeliveryState.Accepted && d.ReceivedAt <= acceptedBefore)
            .OrderBy(d => d.ReceivedAt)
            .Take(BatchSize)
            .Select(d => new
            {
                d.Id,
                d.Source,
                d.Event,
                d.CompressedBody,
                ServerUrl = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.ServerUrl).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        foreach (var delivery in stranded)
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
                await db.Deliveries.Where(d => d.Id == delivery.Id && d.State == DeliveryState.Accepted)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryState.Processed).SetProperty(d => d.ProcessedAt, now), cancellationToken);
            }
        }

        // Dispatched deliveries whose last refresh finished while the dispatch was being recorded.
        await db.Deliveries
            .Where(d => d.State == DeliveryState.Dispatched
                && d.DispatchedAt <= acceptedBefore
                && !db.RefreshRequests.Any(r => r.DeliveryId == d.Id && r.CompletedAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryState.Processed).SetProperty(d => d.ProcessedAt, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatched delivery {DeliveryId} left accepted: {Warehouses} warehouse(s)")]
    private static partial void LogDispatched(ILogger logger, Guid deliveryId, int? warehouses);
}
