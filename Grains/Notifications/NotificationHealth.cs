using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Which warehouses' downstream targets are failing, for the dashboard's "needs attention" and Warehouses list: a target
/// is failing when its latest attempt failed; it has been failing since the first failed attempt after its last
/// success. Only attempts inside <see cref="Window"/> are read, so a target failing for longer shows the window's start.
/// </summary>
public sealed class NotificationHealth(IDbContextFactory<WebhooksDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How far back attempts are read (notification_attempts has no index on StartedAt alone).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>The failing targets, longest failing first; only <paramref name="project"/>'s when one is named.</summary>
    public async Task<IReadOnlyList<FailingTarget>> ListFailingAsync(string? project, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Database.SqlQuery<FailingTargetRow>($"""
            WITH recent AS (
                SELECT o."WarehouseId", a."StartedAt", a."Succeeded", a."StatusCode", a."Error"
                FROM notification_attempts a JOIN notification_outbox o ON o."Id" = a."OutboxId"
                WHERE a."StartedAt" >= {since}
            ), last_success AS (
                SELECT "WarehouseId", max("StartedAt") AS "At" FROM recent WHERE "Succeeded" GROUP BY 1
            ), failing AS (
                SELECT r."WarehouseId", min(r."StartedAt") AS "Since", max(r."StartedAt") AS "LastAttemptAt", count(*) AS "FailedAttempts"
                FROM recent r LEFT JOIN last_success s ON s."WarehouseId" = r."WarehouseId"
                WHERE NOT r."Succeeded" AND (s."At" IS NULL OR r."StartedAt" > s."At")
                GROUP BY 1
            )
            SELECT f."WarehouseId", p."Name" AS "Project", w."Name" AS "Warehouse", coalesce(w."NotifyUrl", '') AS "Target",
                   f."Since", f."LastAttemptAt", f."FailedAttempts",
                   (SELECT count(*) FROM notification_outbox o WHERE o."WarehouseId" = f."WarehouseId" AND o."Status" = 'Pending') AS "FreightWaiting",
                   (SELECT coalesce(r."Error", 'HTTP ' || r."StatusCode") FROM recent r
                    WHERE r."WarehouseId" = f."WarehouseId" ORDER BY r."StartedAt" DESC LIMIT 1) AS "LastError"
            FROM failing f
            JOIN warehouses w ON w."Id" = f."WarehouseId"
            JOIN projects p ON p."Id" = w."ProjectId"
            WHERE {project}::text IS NULL OR p."Name" = {project}
            ORDER BY f."Since", p."Name", w."Name"
            """).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new FailingTarget(
            r.WarehouseId, r.Project, r.Warehouse, r.Target, r.Since, r.LastAttemptAt, r.FailedAttempts, r.FreightWaiting, r.LastError))];
    }

    internal sealed class FailingTargetRow
    {
        public Guid WarehouseId { get; set; }

        public string Project { get; set; } = "";

        public string Warehouse { get; set; } = "";

        public string Target { get; set; } = "";

        public DateTimeOffset Since { get; set; }

        public DateTimeOffset LastAttemptAt { get; set; }

        public long FailedAttempts { get; set; }

        public long FreightWaiting { get; set; }

        public string? LastError { get; set; }
    }
}
