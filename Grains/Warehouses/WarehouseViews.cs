using System.Xml;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Refresh;

namespace Webhooks.Grains.Warehouses;

/// <summary>How warehouses and their history are read for showing: small queries, never a secret.</summary>
internal static class WarehouseViews
{
    /// <summary>The warehouse as shown; null when it is gone.</summary>
    public static async Task<WarehouseView?> ViewAsync(WebhooksDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var warehouse = await db.Warehouses.AsNoTracking()
            .Include(w => w.Subscriptions.OrderBy(s => s.Position))
            .FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (warehouse is null)
        {
            return null;
        }

        var lastRun = await db.Refreshes.AsNoTracking()
            .Where(r => r.WarehouseId == id)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var pending = await db.RefreshQueue.AnyAsync(q => q.WarehouseId == id, cancellationToken);
        var state = lastRun is { Status: RefreshStatus.Running } ? "refreshing" : pending ? "pending" : "idle";
        var latest = await FreightQuery(db, id).FirstOrDefaultAsync(cancellationToken);
        return new WarehouseView(
            warehouse.Id,
            warehouse.Name,
            state,
            warehouse.Subscriptions.Select(s => new SubscriptionView(
                s.RepositoryUrl, s.RepositoryKey, s.Branch, s.Tag, WireName(s.Discovery), s.ProtectedCredentials is not null)).ToList(),
            warehouse.NotifyUrl is null
                ? null
                : new NotifyView(
                    warehouse.NotifyUrl,
                    warehouse.ProtectedNotifySecret is not null,
                    warehouse.LegacyHubSignature,
                    warehouse.NotifySecretRotatedAt,
                    warehouse.ProtectedPreviousNotifySecret is null ? null : warehouse.PreviousNotifySecretValidUntil),
            XmlConvert.ToString(warehouse.Interval),
            latest,
            lastRun is null ? null : ToView(lastRun),
            warehouse.CreatedAt,
            warehouse.UpdatedAt);
    }

    public static IQueryable<FreightView> FreightQuery(WebhooksDbContext db, Guid warehouseId)
    {
        var outbox = db.NotificationOutbox;
        return db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId)
            .OrderByDescending(f => f.DiscoveredAt).ThenByDescending(f => f.Id)
            .Select(f => new FreightView(
                f.Id,
                f.RepositoryKey,
                f.RepositoryUrl,
                f.Ref,
                f.Commit,
                f.Message,
                f.Author,
                f.DiscoveredAt,
                f.DeliveryIds,
                outbox.Where(o => o.FreightId == f.Id).Select(o => o.Status == NotificationStatus.Pending ? "pending"
                    : o.Status == NotificationStatus.Delivered ? "delivered" : "failed").FirstOrDefault()));
    }

    public static RefreshView ToView(RefreshRun run) => new(
        run.Id, run.StartedAt, run.FinishedAt, WireName(run.Status), run.Requests, run.Coalesced, run.NewFreight, run.Error);

    public static RefreshRequestView ToView(RefreshRequest request) => new(
        request.Id, WireName(request.Reason), request.DeliveryId, request.RequestedAt,
        request.Outcome is { } outcome ? WireName(outcome) : null, request.RefreshId, request.CompletedAt);

    public static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
