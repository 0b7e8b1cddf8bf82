using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Management;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Refresh;

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
            (await db.RefreshRequestsWithOutcomes
                .Where(r => r.WarehouseId == id)
                .OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id)
                .Take(take)
                .ToListAsync(token))
            .Select(WarehouseViews.ToView).ToList());

    /// <summary>Every HTTP attempt to post the warehouse's Freight downstream, with its status code or error.</summary>
    public Task<ManagementResult<List<WarehouseNotificationAttempt>>> ListNotificationAttemptsAsync(string project, string warehouse, int? limit, CancellationToken cancellationToken) =>
        ListAsync(project, warehouse, limit, cancellationToken, (db, id, take, token) =>
            db.NotificationAttempts.AsNoTracking()
                .Where(a => db.Set<Freight>().Any(f => f.Id == a.FreightId && f.WarehouseId == id))
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

    /// <summary>
    /// The warehouse's notifications grouped per Freight, newest Freight first, <paramref name="pageSize"/> a page
    /// (page 1 is the newest): status, attempts, last result and the next round's time while pending.
    /// </summary>
    public async Task<ManagementResult<FreightNotificationPage>> ListFreightNotificationsAsync(
        string project, string warehouse, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (page < 1 || pageSize is < 1 or > MaxLimit)
        {
            return ManagementFailure.Invalid("The query is not valid.", new() { ["page"] = [$"Use a page from 1 and a page size of 1 to {MaxLimit}."] });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await WarehouseCatalog.FindAsync(db, project, warehouse, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var notified = db.NotificationOutbox.AsNoTracking().Where(o => o.WarehouseId == id);
        var total = await notified.CountAsync(cancellationToken);
        var rows = await notified
            .Join(db.Freight, o => o.FreightId, f => f.Id, (o, f) => new { Outbox = o, Freight = f })
            .OrderByDescending(x => x.Freight.DiscoveredAt).ThenByDescending(x => x.Freight.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(x => new
            {
                x.Outbox,
                x.Freight.Ref,
                x.Freight.Commit,
                x.Freight.DiscoveredAt,
                Attempts = db.Set<NotificationAttempt>().Count(a => a.FreightId == x.Freight.Id),
                Last = db.Set<NotificationAttempt>().Where(a => a.FreightId == x.Freight.Id)
                    .OrderByDescending(a => a.StartedAt)
                    .Select(a => new { a.StartedAt, a.StatusCode, a.Error, a.Succeeded })
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return new FreightNotificationPage(
            [.. rows.Select(r => new FreightNotificationSummary(
                r.Outbox.FreightId,
                r.Ref,
                r.Commit,
                r.DiscoveredAt,
                WarehouseViews.WireName(r.Outbox.Status),
                r.Outbox.Rounds,
                r.Attempts,
                r.Last?.StartedAt,
                r.Last is null ? null
                    : r.Last.Succeeded ? $"HTTP {r.Last.StatusCode}"
                    : r.Last.Error ?? $"HTTP {r.Last.StatusCode}",
                r.Outbox.Status == NotificationStatus.Pending ? r.Outbox.NextAttemptAt : null))],
            page,
            pageSize,
            total);
    }

    /// <summary>The Freight a delivery announced, in every warehouse it refreshed (found through its refresh requests).</summary>
    public async Task<IReadOnlyList<DeliveryFreightView>> ListFreightOfDeliveryAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var warehouseIds = db.RefreshRequests.Where(r => r.DeliveryId == deliveryId).Select(r => r.WarehouseId);
        var outbox = db.NotificationOutbox;
        var rows = await db.Freight.AsNoTracking()
            .Where(f => warehouseIds.Contains(f.WarehouseId) && f.DeliveryIds.Contains(deliveryId))
            .OrderBy(f => f.DiscoveredAt).ThenBy(f => f.Id)
            .Select(f => new
            {
                f.Id,
                Warehouse = db.Set<Warehouse>().Where(w => w.Id == f.WarehouseId).Select(w => new { w.Name, Project = w.Project!.Name }).First(),
                f.Ref,
                f.Commit,
                f.DiscoveredAt,
                Notification = outbox.Where(o => o.FreightId == f.Id).Select(o => (NotificationStatus?)o.Status).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DeliveryFreightView(
            r.Id, r.Warehouse.Project, r.Warehouse.Name, r.Ref, r.Commit, r.DiscoveredAt,
            r.Notification is { } status ? WarehouseViews.WireName(status) : null))];
    }

    /// <summary>
    /// Warehouses whose last refresh failed, or whose oldest pending request is older than <paramref name="waitThreshold"/>
    /// (a refresh that cannot keep up, or a warehouse nobody runs): the Overview's "needs attention".
    /// </summary>
    public async Task<IReadOnlyList<WarehouseTrouble>> ListTroubledAsync(TimeSpan waitThreshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var waitingSince = now - waitThreshold;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<TroubleRow>($"""
            SELECT w."Id" AS "WarehouseId", p."Name" AS "Project", w."Name" AS "Warehouse",
                   last."Status" AS "LastRefreshStatus", last."Error" AS "LastRefreshError", last."StartedAt" AS "LastRefreshAt",
                   pending."Oldest" AS "OldestPendingAt", coalesce(pending."Count", 0) AS "PendingRequests"
            FROM warehouses w
            JOIN projects p ON p."Id" = w."ProjectId"
            LEFT JOIN LATERAL (
                SELECT r."Status", r."Error", r."StartedAt" FROM refreshes r
                WHERE r."WarehouseId" = w."Id" AND r."Status" <> 'Running'
                ORDER BY r."StartedAt" DESC LIMIT 1) last ON true
            LEFT JOIN LATERAL (
                SELECT min(q."RequestedAt") AS "Oldest", count(*) AS "Count" FROM refresh_queue q
                WHERE q."WarehouseId" = w."Id") pending ON true
            WHERE last."Status" = 'Failed' OR pending."Oldest" < {waitingSince}
            ORDER BY p."Name", w."Name"
            """).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new WarehouseTrouble(
            r.WarehouseId, r.Project, r.Warehouse, r.LastRefreshStatus?.ToLowerInvariant(), r.LastRefreshError, r.LastRefreshAt,
            r.OldestPendingAt, r.PendingRequests))];
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

    internal sealed class TroubleRow
    {
        public Guid WarehouseId { get; set; }

        public string Project { get; set; } = "";

        public string Warehouse { get; set; } = "";

        public string? LastRefreshStatus { get; set; }

        public string? LastRefreshError { get; set; }

        public DateTimeOffset? LastRefreshAt { get; set; }

        public DateTimeOffset? OldestPendingAt { get; set; }

        public long PendingRequests { get; set; }
    }
}
