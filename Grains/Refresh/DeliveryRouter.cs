using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Hands an accepted delivery to the refresh engine: one call to its repository grain, bounded by
/// <see cref="RefreshOptions.RouteTimeout"/>. Never throws: the row is committed, so a delivery that could not be
/// routed now is dispatched later by the receivers' sweeper of deliveries left accepted. Ingress, the sweeper and
/// redeliveries (management API and dashboard) all route through it.
/// </summary>
public sealed partial class DeliveryRouter(IGrainFactory grains, IOptions<RefreshOptions> options, ILogger<DeliveryRouter> logger)
{
    /// <summary>Only pushes and mirror synchronisations move refs; other events are recorded and left alone.</summary>
    public static bool Routes(BitbucketEventKind kind) => kind is BitbucketEventKind.Push or BitbucketEventKind.MirrorSynchronized;

    /// <summary>
    /// Ingress, once the row is committed: how many warehouses will be asked to refresh, or null when the repository
    /// grain did not answer in time. Returns before they are asked (<see cref="IRepositoryGrain.AcceptAsync"/>).
    /// </summary>
    public Task<int?> TryAcceptAsync(Guid deliveryId, BitbucketEvent bitbucketEvent, CancellationToken cancellationToken = default) =>
        CallAsync(deliveryId, bitbucketEvent, static (grain, id, e) => grain.AcceptAsync(id, e), cancellationToken);

    /// <summary>How many warehouses were asked to refresh, or null when the repository grain did not answer in time.</summary>
    public Task<int?> TryRouteAsync(Guid deliveryId, BitbucketEvent bitbucketEvent, CancellationToken cancellationToken = default) =>
        CallAsync(deliveryId, bitbucketEvent, static (grain, id, e) => grain.RouteAsync(id, e), cancellationToken);

    private async Task<int?> CallAsync(
        Guid deliveryId, BitbucketEvent bitbucketEvent, Func<IRepositoryGrain, Guid, BitbucketEvent, Task<int>> call, CancellationToken cancellationToken)
    {
        if (bitbucketEvent.Repository is null)
        {
            return 0;
        }

        try
        {
            return await call(grains.GetGrain<IRepositoryGrain>(bitbucketEvent.Repository.Key), deliveryId, bitbucketEvent)
                .WaitAsync(options.Value.RouteTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRouteFailed(deliveryId, bitbucketEvent.Repository.Key, e.GetType().Name, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} of {RepositoryKey} was not routed now ({Error}: {Reason}); the sweeper will dispatch it")]
    private partial void LogRouteFailed(Guid deliveryId, string repositoryKey, string error, string reason);
}
