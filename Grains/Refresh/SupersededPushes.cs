using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Push order, not arrival order at the warehouse, decides a ref's current head. A delivery committed by a replica that
/// died before routing it reaches its warehouses only when the sweeper re-dispatches it, after later pushes to the same
/// ref may have become Freight: its heads are older and must not become the latest Freight. Found by the chaos tests
/// (a receiver replica killed under load).
/// </summary>
internal static class SupersededPushes
{
    /// <summary>
    /// The requests among <paramref name="requests"/> whose every head is for a ref whose latest Freight was announced by
    /// a delivery received after theirs (with another commit).
    /// </summary>
    /// <param name="received">When the requests' deliveries were received, by delivery id.</param>
    public static async Task<IReadOnlyList<RefreshRequest>> FindAsync(
        WebhooksDbContext db, Guid warehouseId, IReadOnlyList<RefreshRequest> requests, IReadOnlyDictionary<Guid, DateTimeOffset> received)
    {
        var pushes = requests.Where(r => r.DeliveryId is not null && r.Heads.Count > 0).ToList();
        if (pushes.Count == 0)
        {
            return [];
        }

        var refs = pushes.SelectMany(r => r.Heads.Select(h => h.Ref)).Distinct().ToList();
        var latest = await db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId && refs.Contains(f.Ref))
            .GroupBy(f => new { f.RepositoryKey, f.Ref })
            .Select(g => g.OrderByDescending(f => f.DiscoveredAt).ThenByDescending(f => f.Id).First())
            .ToListAsync().ConfigureAwait(false);
        if (latest.Count == 0)
        {
            return [];
        }

        var announced = await ReceivedAtAsync(db, latest.SelectMany(f => f.DeliveryIds)).ConfigureAwait(false);
        var latestByRef = latest.ToDictionary(
            f => (f.RepositoryKey, f.Ref),
            f => (f.Commit, Announced: f.DeliveryIds.Select(id => announced.GetValueOrDefault(id)).DefaultIfEmpty().Max()));

        return [.. pushes.Where(request =>
            received.TryGetValue(request.DeliveryId!.Value, out var at)
            && request.Heads.All(head =>
                latestByRef.TryGetValue((head.RepositoryKey, head.Ref), out var current)
                && current.Commit != head.Commit
                && current.Announced > at))];
    }

    /// <summary>The order a refresh reads requests in: by when their push was received, else by when they were made.</summary>
    public static List<RefreshRequest> InPushOrder(IReadOnlyList<RefreshRequest> requests, IReadOnlyDictionary<Guid, DateTimeOffset> received) =>
        [.. requests
            .OrderBy(r => r.DeliveryId is { } id && received.TryGetValue(id, out var at) ? at : r.RequestedAt)
            .ThenBy(r => r.RequestedAt)
            .ThenBy(r => r.Id)];

    private static async Task<Dictionary<Guid, DateTimeOffset>> ReceivedAtAsync(WebhooksDbContext db, IEnumerable<Guid> deliveryIds)
    {
        var ids = deliveryIds.Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.ReceivedAt).ConfigureAwait(false);
    }
}
