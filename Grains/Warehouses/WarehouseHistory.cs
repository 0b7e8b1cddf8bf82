using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Management;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// What happened in a warehouse, newest first: its Freight, its refreshes and the requests they took, and the attempts
/// to notify downstream. Shared by the management API and the dashboard.
/// </summary>
public sealed class WarehouseHistory(IDbContextFactory<WebhooksDbContext> dbFactory)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;

    public Task<ManagementResult<List<FreightView>>> ListFreightAsync(string project, string warehouse, int? limit, CancellationToken cancellationToken) =>
        ListAsync(project, warehouse, limit, cancellationToken,
            (db, id, take, token) => WarehouseViews.FreightQuery(db, id).Take(take).ToListAsync(token));

    /// <summary>Refreshes: start, end, status, requests taken and how many were coalesced, new Freight.</summary>
    public Task<ManagementResult<List<RefreshView>>> ListRefreshesAsync(string project, string warehouse, int? limit, CancellationToken cancellationToken) =>
        ListAsync(project, warehouse, limit, cancellationToken, async (db, id, take, token) =>
            (await db.Refreshes.AsNoTracking()
                .Where(r => r.WarehouseId == id)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Take(take)
                .ToListAsync(token))
            .Select(WarehouseViews.ToView).ToList());

    /// <summary>Refresh requests: reason, delivery, outcome (refreshed, coalesced, deduplicated; null while pending).</summary>
    public Task<ManagementResult<List<RefreshRequestView>>> ListRequestsAsync(string project, string warehouse, int? limit, CancellationToken cancellationToken) =>
        ListAsync(project, warehouse, limit, cancellationToken, async (db, id, take, token) =>
            (await db.RefreshRequests.AsNoTracking()
                .Where(r => r.WarehouseId == id)
                .OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id)
                .Take(take)
                .ToListAsync(token))
            .Select(WarehouseViews.ToView).ToList());

    /// <summary>Every HTTP attempt to post the warehouse's Freight downstream, with its status code or error.</summary>
    public Task<ManagementResult<List<WarehouseNotificationAttempt>>> ListNotificationAttemptsAsync(string project, string warehouse, int? limit, CancellationToken cancellationToken) =>
        ListAsync(project, warehouse, limit, cancellationToken, (db, id, take, token) =>
            db.NotificationAttempts.AsNoTracking()
                .Where(a => db.Freight.Any(f => f.Id == a.FreightId && f.WarehouseId == id))
                .OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id)
                .Take(take)
                .Select(a => new WarehouseNotificationAttempt(a.Id, a.FreightId, a.Round, a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Error, a.Succeeded))
                .ToListAsync(token));

    /// <summary>One Freight with its notification: status (pending, delivered, failed), rounds, last error and every attempt.</summary>
    public async Task<ManagementResult<FreightDetail>> GetFreightAsync(string project, string warehouse, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (warehouseId, notFound) = await WarehouseCatalog.FindAsync(db, project, warehouse, cancellationToken);
        if (warehouseId is null)
        {
            return notFound!;
        }

        var freight = await db.Freight.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.WarehouseId == warehouseId, cancellationToken);
        if (freight is null)
        {
            return ManagementFailure.FreightNotFound(project, warehouse, id);
        }

        var outbox = await db.NotificationOutbox.AsNoTracking().FirstOrDefaultAsync(o => o.FreightId == id, cancellationToken);
        FreightNotificationView? notification = null;
        if (outbox is not null)
        {
            var attempts = await db.NotificationAttempts.AsNoTracking()
                .Where(a => a.FreightId == id)
                .OrderBy(a => a.Round).ThenBy(a => a.Attempt).ThenBy(a => a.StartedAt)
                .Select(a => new NotificationAttemptView(a.Round, a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Error, a.Succeeded))
                .ToListAsync(cancellationToken);
            notification = new FreightNotificationView(
                outbox.Status.ToString().ToLowerInvariant(),
                outbox.Rounds,
                outbox.Status == NotificationStatus.Pending ? outbox.NextAttemptAt : null,
                outbox.CompletedAt,
                outbox.LastError,
                attempts);
        }

        return new FreightDetail(
            freight.Id,
            freight.RepositoryKey,
            freight.RepositoryUrl,
            freight.Ref,
            freight.Commit,
            freight.Message,
            freight.Author,
            freight.DiscoveredAt,
            freight.DeliveryIds,
            notification);
    }

    /// <summary>The shared shape of a warehouse's lists: validate the limit, find the warehouse, read its newest rows.</summary>
    private async Task<ManagementResult<List<TView>>> ListAsync<TView>(
        string project,
        string warehouse,
        int? limit,
        CancellationToken cancellationToken,
        Func<WebhooksDbContext, Guid, int, CancellationToken, Task<List<TView>>> read)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ManagementFailure.Invalid("The query is not valid.", new() { ["limit"] = [$"Use 1 to {MaxLimit}."] });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await WarehouseCatalog.FindAsync(db, project, warehouse, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        return await read(db, id.Value, limit ?? DefaultLimit, cancellationToken);
    }
}
