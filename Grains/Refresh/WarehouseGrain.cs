using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Serialises, coalesces and deduplicates one warehouse's refreshes.
/// <para>
/// Not reentrant, and the refresh does not run inside a grain call: <see cref="RequestRefreshAsync"/> only writes the
/// request and returns, so ingress never waits for discovery. Refreshes run in one background loop per activation
/// (<see cref="_loop"/>), started when there is none; every turn of the loop and of the grain's calls runs on the
/// activation's single-threaded scheduler, so the flag and the task need no lock. Each pass of the loop takes every
/// pending request at once: whatever arrived during a refresh becomes exactly one follow-up refresh. Orleans keeps
/// one activation per warehouse in the cluster, so there are never two refreshes of one warehouse at once.
/// </para>
/// </summary>
public sealed partial class WarehouseGrain(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    HeadDiscovery discovery,
    NotificationSignal notificationSignal,
    IOptions<RefreshOptions> options,
    TimeProvider clock,
    ILogger<WarehouseGrain> logger) : Grain, IWarehouseGrain
{
    private Task _loop = Task.CompletedTask;
    private bool _requestedDuringPass;
    private IGrainTimer? _pollTimer;
    private TimeSpan? _pollInterval;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // A refresh still "running" in the database belonged to an activation that died with its silo: its
            // requests were never completed, so the loop below takes them again.
            await db.Refreshes
                .Where(r => r.WarehouseId == Id && r.Status == RefreshStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RefreshStatus.Interrupted)
                    .SetProperty(r => r.FinishedAt, Now()), cancellationToken);
        }

        await ConfigurePollingAsync(cancellationToken);
        StartLoop();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Let a running refresh finish; if the silo is going down hard, its requests stay pending and are resumed.
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<RefreshAcknowledgement> RequestRefreshAsync(RefreshTrigger trigger)
    {
        var now = Now();
        await using var db = await dbFactory.CreateDbContextAsync();
        var request = new RefreshRequest
        {
            WarehouseId = Id,
            DeliveryId = trigger.DeliveryId,
            Reason = trigger.Reason,
            RepositoryKey = trigger.RepositoryKey,
            Heads = [.. trigger.Heads],
            RequestedAt = now,
        };

        if (trigger.Heads.Count > 0 && await HasEveryHeadAsync(db, trigger.Heads))
        {
            request.Outcome = RefreshRequestOutcome.Deduplicated;
            request.CompletedAt = now;
        }

        db.RefreshRequests.Add(request);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // This delivery already asked (a re-dispatch): the first request stands.
            db.ChangeTracker.Clear();
            var existing = await db.RefreshRequests.AsNoTracking()
                .FirstAsync(r => r.WarehouseId == Id && r.DeliveryId == trigger.DeliveryId);
            if (existing.CompletedAt is null)
            {
                StartLoop();
            }

            return new RefreshAcknowledgement(existing.Id, existing.Outcome);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            // The warehouse was deleted after the repository grain loaded its subscriptions.
            return new RefreshAcknowledgement(request.Id, RefreshRequestOutcome.Abandoned);
        }

        if (request.Outcome == RefreshRequestOutcome.Deduplicated)
        {
            LogDeduplicated(Id, trigger.DeliveryId);
        }
        else
        {
            StartLoop();
        }

        return new RefreshAcknowledgement(request.Id, request.Outcome);
    }

    public Task ResumeAsync()
    {
        StartLoop();
        return Task.CompletedTask;
    }

    public async Task PollAsync()
    {
        if (_pollInterval is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var lastRefreshAt = await db.Warehouses.Where(w => w.Id == Id).Select(w => w.LastRefreshAt).FirstOrDefaultAsync();
        var pending = await db.RefreshRequests.AnyAsync(r => r.WarehouseId == Id && r.CompletedAt == null);
        if (!pending && (lastRefreshAt is null || Now() - lastRefreshAt >= _pollInterval))
        {
            await RequestRefreshAsync(new RefreshTrigger(RefreshReason.Interval, null, null, []));
        }
    }

    public async Task InvalidateAsync() => await ConfigurePollingAsync(CancellationToken.None);

    /// <summary>Starts the refresh loop unless it runs; if it runs, makes sure it takes another look before stopping.</summary>
    private void StartLoop()
    {
        _requestedDuringPass = true;
        if (_loop.IsCompleted)
        {
            _loop = RunLoopAsync();
        }
    }

    private async Task RunLoopAsync()
    {
        // Yield first so the call that started the loop answers before the refresh begins.
        await Task.Yield();
        while (_requestedDuringPass)
        {
            // A request that arrives while this pass reads or refreshes sets the flag again, so the loop cannot stop
            // between a request's commit and its being noticed.
            _requestedDuringPass = false;
            try
            {
                while (await RefreshOnceAsync())
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The requests are still pending in the database; the sweeper resumes them.
                LogRefreshFailed(e, Id);
                return;
            }
        }
    }

    /// <summary>One refresh over every pending request; false when there was none.</summary>
    private async Task<bool> RefreshOnceAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var pending = await db.RefreshRequests
            .Where(r => r.WarehouseId == Id && r.CompletedAt == null)
            .OrderBy(r => r.RequestedAt).ThenBy(r => r.Id)
            .ToListAsync();
        if (pending.Count == 0)
        {
            return false;
        }

        var warehouse = await db.Warehouses.AsNoTracking()
            .Include(w => w.Subscriptions.OrderBy(s => s.Position))
            .FirstOrDefaultAsync(w => w.Id == Id);
        if (warehouse is null)
        {
            return false;
        }

        var run = new RefreshRun
        {
            WarehouseId = Id,
            StartedAt = Now(),
            Status = RefreshStatus.Running,
            Requests = pending.Count,
            Coalesced = pending.Count - 1,
        };
        db.Refreshes.Add(run);
        await db.SaveChangesAsync();

        var (heads, errors) = await discovery.DiscoverAsync(warehouse.Subscriptions, pending, CancellationToken.None);
        var newHeads = await WithoutKnownAsync(db, heads);

        var now = Now();
        var freight = newHeads.Select(head => new Freight
        {
            WarehouseId = Id,
            SubscriptionId = head.SubscriptionId,
            RepositoryKey = head.RepositoryKey,
            RepositoryUrl = head.RepositoryUrl,
            Ref = head.Ref,
            Commit = head.Commit,
            Message = Truncate(head.Message, 10_000),
            Author = Truncate(head.Author, 500),
            DiscoveredAt = now,
            RefreshId = run.Id,
            DeliveryIds = [.. head.DeliveryIds],
        }).ToList();

        // Freight, its outbox rows, the run's end and the requests' completion commit together: a crash before the
        // commit leaves the requests pending and the next activation redoes the whole refresh.
        db.Freight.AddRange(freight);
        if (warehouse.NotifyUrl is not null)
        {
            db.NotificationOutbox.AddRange(freight.Select(f => new NotificationOutboxEntry
            {
                FreightId = f.Id,
                WarehouseId = Id,
                CreatedAt = now,
                Status = NotificationStatus.Pending,
                NextAttemptAt = now,
            }));
        }

        run.FinishedAt = now;
        run.NewFreight = freight.Count;
        run.Status = errors.Count == 0 ? RefreshStatus.Succeeded : RefreshStatus.Failed;
        run.Error = errors.Count == 0 ? null : Truncate(string.Join(" ", errors), 2000);
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i].RefreshId = run.Id;
            pending[i].Outcome = i == 0 ? RefreshRequestOutcome.Refreshed : RefreshRequestOutcome.Coalesced;
            pending[i].CompletedAt = now;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.SaveChangesAsync();
            await db.Warehouses.Where(w => w.Id == Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastRefreshAt, now));
            var deliveryIds = pending.Where(r => r.DeliveryId is not null).Select(r => r.DeliveryId!.Value).Distinct().ToList();
            if (deliveryIds.Count > 0)
            {
                // A delivery is processed once every warehouse it asked is done with it.
                await db.Deliveries
                    .Where(d => deliveryIds.Contains(d.Id)
                        && d.State == DeliveryState.Dispatched
                        && !db.RefreshRequests.Any(r => r.DeliveryId == d.Id && r.CompletedAt == null))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.State, DeliveryState.Processed)
                        .SetProperty(d => d.ProcessedAt, now));
            }

            await transaction.CommitAsync();
        });

        if (freight.Count > 0 && warehouse.NotifyUrl is not null)
        {
            notificationSignal.Notify();
        }

        LogRefreshed(Id, pending.Count, freight.Count, run.Status);
        return true;
    }

    private async Task<bool> HasEveryHeadAsync(WebhooksDbContext db, IReadOnlyList<RequestedHead> heads)
    {
        var commits = heads.Select(h => h.Commit).Distinct().ToList();
        var known = await db.Freight
            .Where(f => f.WarehouseId == Id && commits.Contains(f.Commit))
            .Select(f => new { f.RepositoryKey, f.Ref, f.Commit })
            .ToListAsync();
        return heads.All(h => known.Any(k => k.RepositoryKey == h.RepositoryKey && k.Ref == h.Ref && k.Commit == h.Commit));
    }

    private async Task<List<DiscoveredHead>> WithoutKnownAsync(WebhooksDbContext db, List<DiscoveredHead> heads)
    {
        if (heads.Count == 0)
        {
            return heads;
        }

        var commits = heads.Select(h => h.Commit).Distinct().ToList();
        var known = await db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == Id && commits.Contains(f.Commit))
            .Select(f => new { f.RepositoryKey, f.Ref, f.Commit })
            .ToListAsync();
        return heads.Where(h => !known.Any(k => k.RepositoryKey == h.RepositoryKey && k.Ref == h.Ref && k.Commit == h.Commit)).ToList();
    }

    private async Task ConfigurePollingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var config = await db.Warehouses.AsNoTracking()
            .Where(w => w.Id == Id)
            .Select(w => new { w.Interval, HasGit = w.Subscriptions.Any(s => s.Discovery == DiscoveryMode.Git) })
            .FirstOrDefaultAsync(cancellationToken);
        var interval = config is { HasGit: true }
            ? (config.Interval > TimeSpan.Zero ? config.Interval : options.Value.DefaultInterval)
            : (TimeSpan?)null;
        if (interval == _pollInterval)
        {
            return;
        }

        _pollInterval = interval;
        _pollTimer?.Dispose();
        _pollTimer = null;
        if (interval is { } period)
        {
            // While active, the grain lists its git subscriptions on its own; the sweeper's poll covers the time it is
            // not active. Checking a few times per interval keeps the lateness well under one interval.
            var tick = TimeSpan.FromTicks(Math.Max(period.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
            _pollTimer = this.RegisterGrainTimer(_ => PollAsync(), new GrainTimerCreationOptions(tick, tick));
        }
    }

    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse {WarehouseId} refreshed {Requests} request(s): {NewFreight} new Freight, {Status}")]
    private partial void LogRefreshed(Guid warehouseId, int requests, int newFreight, RefreshStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse {WarehouseId} already has every head of delivery {DeliveryId}: deduplicated")]
    private partial void LogDeduplicated(Guid warehouseId, Guid? deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refresh of warehouse {WarehouseId} failed; its requests stay pending")]
    private partial void LogRefreshFailed(Exception exception, Guid warehouseId);
}
