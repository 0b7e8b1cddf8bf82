using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Runs on every replica and finds refresh work no activation is doing: warehouses with requests pending for longer
/// than <see cref="RefreshOptions.PendingGrace"/> (their silo died, or their refresh failed) are resumed, and
/// git-mode warehouses whose interval has passed are polled, which activates them, so an event Bitbucket never
/// delivered is discovered even when nobody touched the warehouse. Both calls are idempotent, so replicas sweeping
/// at the same time do no harm.
/// </summary>
public sealed partial class RefreshSweeper(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IGrainFactory grains,
    IOptions<RefreshOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<RefreshSweeper> logger) : BackgroundService
{
    private const int BatchSize = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grains can be called once the silo is up, which is when the host has started.
        if (!await ApplicationStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pendingBefore = now - options.Value.PendingGrace;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stranded = await db.RefreshRequests
            .Where(r => r.CompletedAt == null && r.RequestedAt <= pendingBefore)
            .Select(r => r.WarehouseId)
            .Distinct()
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
            .Select(w => w.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var warehouseId in due)
        {
            await grains.GetGrain<IWarehouseGrain>(warehouseId).PollAsync().WaitAsync(cancellationToken);
        }

        if (stranded.Count > 0)
        {
            LogResumed(stranded.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} warehouse(s) with stranded refresh requests")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh sweep failed; trying again at the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
