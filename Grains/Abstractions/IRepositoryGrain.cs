using Orleans.Concurrency;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Abstractions;

/// <summary>
/// One repository (key: its canonical <c>RepositoryKey</c>): knows the warehouses subscribed to it in every project
/// and turns its events into refresh requests for the ones that follow a ref the event moved.
/// </summary>
[Alias("Webhooks.IRepositoryGrain")]
public interface IRepositoryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts the warehouses that follow a ref the event moved (from the cached subscriptions) and returns that count at
    /// once; asking them to refresh and marking the delivery dispatched happen after, batched with other deliveries.
    /// Ingress calls this once the delivery is committed <c>accepted</c>: a dispatch lost in between (a crash) leaves
    /// the row accepted, and the sweeper routes it with <see cref="RouteAsync"/>.
    /// </summary>
    [Alias("Accept")]
    Task<int> AcceptAsync(Guid deliveryId, BitbucketEvent bitbucketEvent);

    /// <summary>
    /// Asks every matching warehouse to refresh (each request is durable when this returns) and marks the delivery
    /// dispatched, or processed when nothing is left to do. Returns how many warehouses were asked. Idempotent per
    /// delivery: dispatching it again asks nobody twice.
    /// </summary>
    /// <remarks>
    /// Interleaved: it waits for a dispatch that runs in the background, and ingress's <see cref="AcceptAsync"/> calls
    /// must not queue behind that wait. Both only read the subscription cache (a concurrent reload is harmless).
    /// </remarks>
    [Alias("Route"), AlwaysInterleave]
    Task<int> RouteAsync(Guid deliveryId, BitbucketEvent bitbucketEvent);

    /// <summary>Forgets the cached subscriptions; the next event reloads them. Call after subscriptions change.</summary>
    [Alias("Invalidate")]
    Task InvalidateAsync();
}
