using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Runs on every replica and finds refresh work no activation is doing: warehouses with requests pending for longer
/// than <see cref="RefreshOptions.PendingGrace"/> (their silo died, or their refresh failed) are resumed, and
/// git-mode warehouses whose interval has passed are polled, which activates them, so an event Bitbucket never
/// delivered is discovered even when nobody touched the warehouse. Both calls are idempotent, so replicas sweeping
/// at the same time do no harm. Requests left pending for a warehouse that no longer exists (a dispatch that committed
/// as the warehouse was deleted: there is no foreign key, see <see cref="RefreshRequestConfiguration"/>) are deleted
/// rather than resumed.
/// </summary>
public sealed partial class RefreshSweeper(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IGrainFactory grains,
    IOptions<RefreshOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<RefreshSweeper> logger) : PeriodicWork(lifetime, clock, logger)
{
    private const int BatchSize = 200;

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override string Name => "Refresh sweep";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var pendingBefore = now - options.Value.PendingGrace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var warehouses = db.Warehouses;
        // The queue rows and their requests, in one statement.
        var orphaned = await db.Database.ExecuteSqlAsync($"""
            WITH gone AS (
                DELETE FROM refresh_queue q
                WHERE q."RequestedAt" <= {pendingBefore} AND NOT EXISTS (SELECT 1 FROM warehouses w WHERE w."Id" = q."WarehouseId")
                RETURNING q."RequestId")
            DELETE FROM refresh_requests r USING gone WHERE r."Id" = gone."RequestId"
            """, cancellationToken);
        // Only warehouses that exist: a request a dispatch commits for a deleted warehouse after the delete above is the
        // next sweep's to delete, not a reason to wake that warehouse's grain.
        var stranded = await db.RefreshQueue
            .Where(q => q.RequestedAt <= pendingBefore && warehouses.Any(w => w.Id == q.WarehouseId))
            .Select(q => q.WarehouseId)
            .Distinct()
            .OrderBy(id => id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var warehouseId in stranded)
        {
            await grains.GetGrain<IWarehouseGrain>(warehouseId).ResumeAsync().WaitAsync(cancellationToken);
        }

        // Git-mode warehouses whose interval has passed; polling activates them, and their own timer takes over.
        var due = await db.Warehouses
            .Where(w => w.Subscriptions.Any(s => s.Discovery == DiscoveryMode.Git)
                && (w.LastRefreshAt == null || w.LastRefreshAt + w.Interval <= now))
            .OrderBy(w => w.Id)
            .Select(w => w.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var warehouseId in due)
        {
            await grains.GetGrain<IWarehouseGrain>(warehouseId).PollAsync().WaitAsync(cancellationToken);
        }

        if (stranded.Count > 0)
        {
            LogResumed(Logger, stranded.Count);
        }

        if (orphaned > 0)
        {
            LogOrphansDeleted(Logger, orphaned);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} warehouse(s) with stranded refresh requests")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} refresh request(s) left pending for a deleted warehouse")]
    private static partial void LogOrphansDeleted(ILogger logger, int count);
}
