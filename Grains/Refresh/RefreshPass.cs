using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// What one refresh of a warehouse does: take every pending request, drop those whose heads have all become Freight
/// meanwhile (deduplicated), discover the current heads for the rest, and commit the new Freight, its outbox rows, the
/// run and the requests' completion in one transaction. <see cref="WarehouseGrain"/> decides when it runs (never two
/// at once, and <see cref="WarehouseRefreshLock"/> for the length of each pass against a zombie activation); this
/// class only runs it.
/// </summary>
internal sealed partial class RefreshPass(
    Guid warehouseId,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    HeadDiscovery discovery,
    NotificationSignal notificationSignal,
    RefreshMetrics metrics,
    TimeProvider clock,
    Func<DateTimeOffset> now,
    ILogger logger)
{
    private const string UnexpectedError = "The refresh stopped on an unexpected error; its requests stay pending and are tried again.";

    // A safety net for an invalidation lost to a silo failure: the warehouse is reloaded at least this often.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    // The warehouse and its subscriptions, read by every pass and changed only through the management API, which
    // invalidates them (WarehouseGrain.InvalidateAsync).
    private Warehouse? _warehouse;
    private DateTimeOffset _warehouseLoadedAt;

    // A run that threw and could not even be marked failed (the database was refusing): marked at the next pass, so
    // the warehouse does not show "refreshing" for as long as the activation lives.
    private Guid? _unfinishedRun;

    /// <summary>One refresh over every pending request; false when there was none.</summary>
    /// <exception cref="WarehouseBusyException">Another activation is refreshing the warehouse.</exception>
    public async Task<bool> RunAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (_unfinishedRun is { } unfinished)
        {
            await MarkFailedAsync(db, unfinished);
            _unfinishedRun = null;
        }

        // Read under the lock: requests another activation completed while holding it must not be taken again.
        await using var refreshLock = await WarehouseRefreshLock.TryAcquireAsync(dataSource, warehouseId, now())
            ?? throw new WarehouseBusyException(warehouseId);
        _unfinishedRun = null;
        var rows = await (
                from r in db.RefreshRequests
                where r.WarehouseId == warehouseId && r.CompletedAt == null
                join d in db.Deliveries on r.DeliveryId equals (Guid?)d.Id into deliveries
                from d in deliveries.DefaultIfEmpty()
                orderby r.RequestedAt, r.Id
                select new { Request = r, ReceivedAt = (DateTimeOffset?)d!.ReceivedAt })
            .ToListAsync();
        if (rows.Count == 0)
        {
            return false;
        }

        var pending = rows.Select(r => r.Request).ToList();
        var received = rows.Where(r => r.ReceivedAt is not null).ToDictionary(r => r.Request.DeliveryId!.Value, r => r.ReceivedAt!.Value);
        var warehouse = await WarehouseAsync(db);
        if (warehouse is null)
        {
            return false;
        }

        // Requests written while the previous refresh ran, for heads that refresh has since made Freight (a burst of one
        // head), need no refresh of their own: the same rule intake applies.
        var known = await KnownHeads.LoadAsync(db, warehouseId, pending.SelectMany(r => r.Heads));
        var redundant = pending.Where(r => known.HasEvery(r.Heads)).ToList();
        var superseded = await SupersededPushes.FindAsync(db, warehouseId, pending.Except(redundant).ToList(), received);
        var taken = SupersededPushes.InPushOrder(pending.Except(redundant).Except(superseded).ToList(), received);
        var at = now();
        foreach (var request in redundant)
        {
            request.Outcome = RefreshRequestOutcome.Deduplicated;
            request.CompletedAt = at;
        }

        foreach (var request in superseded)
        {
            request.Outcome = RefreshRequestOutcome.Superseded;
            request.CompletedAt = at;
        }

        if (taken.Count == 0)
        {
            await CommitAsync(db);
            metrics.Deduplicated(redundant.Count);
            LogDeduplicatedPending(warehouseId, redundant.Count);
            return true;
        }

        var run = new RefreshRun
        {
            WarehouseId = warehouseId,
            StartedAt = at,
            Status = RefreshStatus.Running,
            Requests = taken.Count,
            Coalesced = taken.Count - 1,
        };
        db.Refreshes.Add(run);
        if (warehouse.Subscriptions.Any(s => s.Discovery == DiscoveryMode.Git))
        {
            // Listing is a network call that may take a while: the run shows as running meanwhile. Payload discovery
            // takes no time, and its run is written with its result.
            await db.SaveChangesAsync();
        }

        metrics.Started();
        var started = clock.GetTimestamp();
        List<Freight> freight;
        try
        {
            var (heads, errors) = await discovery.DiscoverAsync(warehouse.Subscriptions, taken, CancellationToken.None);
            var discovered = await known.WithAsync(db, warehouseId, heads.Select(h => (h.RepositoryKey, h.Ref, h.Commit)));
            var finished = now();
            freight = heads
                .Where(h => !discovered.Contains(h.RepositoryKey, h.Ref, h.Commit))
                .Select(head => ToFreight(head, run.Id, finished))
                .ToList();

            // Freight, its outbox rows, the run's end and the requests' completion commit together: a crash before the
            // commit leaves the requests pending and the next activation redoes the whole refresh.
            db.Freight.AddRange(freight);
            if (warehouse.NotifyUrl is not null)
            {
                db.NotificationOutbox.AddRange(freight.Select(f => new NotificationOutboxEntry
                {
                    FreightId = f.Id,
                    WarehouseId = warehouseId,
                    CreatedAt = finished,
                    Status = NotificationStatus.Pending,
                    NextAttemptAt = finished,
                }));
            }

            run.FinishedAt = finished;
            run.NewFreight = freight.Count;
            run.Status = errors.Count == 0 ? RefreshStatus.Succeeded : RefreshStatus.Failed;
            run.Error = errors.Count == 0 ? null : Truncate(string.Join(" ", errors), 2000);
            for (var i = 0; i < taken.Count; i++)
            {
                taken[i].RefreshId = run.Id;
                taken[i].Outcome = i == 0 ? RefreshRequestOutcome.Refreshed : RefreshRequestOutcome.Coalesced;
                taken[i].CompletedAt = finished;
            }

            // Written with the rest of the commit's changes rather than by an UPDATE of its own.
            var refreshedAt = new Warehouse { Id = warehouseId, Name = warehouse.Name };
            db.Warehouses.Attach(refreshedAt);
            db.Entry(refreshedAt).Property(w => w.LastRefreshAt).CurrentValue = finished;
            await CommitAsync(db);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Finished(RefreshStatus.Failed, clock.GetElapsedTime(started));
            await TryMarkFailedAsync(run.Id);
            throw;
        }

        metrics.Finished(run.Status, clock.GetElapsedTime(started));
        metrics.Coalesced(taken.Count - 1);
        metrics.Deduplicated(redundant.Count);
        if (freight.Count > 0 && warehouse.NotifyUrl is not null)
        {
            notificationSignal.Notify();
        }

        LogRefreshed(warehouseId, taken.Count, freight.Count, run.Status);
        return true;
    }

    /// <summary>The warehouse's configuration changed: the next pass reads it again.</summary>
    public void Invalidate() => _warehouse = null;

    private async Task<Warehouse?> WarehouseAsync(WebhooksDbContext db)
    {
        if (_warehouse is not null && clock.GetUtcNow() - _warehouseLoadedAt < CacheLifetime)
        {
            return _warehouse;
        }

        _warehouse = await db.Warehouses.AsNoTracking()
            .Include(w => w.Subscriptions.OrderBy(s => s.Position))
            .FirstOrDefaultAsync(w => w.Id == warehouseId);
        _warehouseLoadedAt = clock.GetUtcNow();
        return _warehouse;
    }

    private Freight ToFreight(DiscoveredHead head, Guid runId, DateTimeOffset discoveredAt) => new()
    {
        WarehouseId = warehouseId,
        SubscriptionId = head.SubscriptionId,
        RepositoryKey = head.RepositoryKey,
        RepositoryUrl = head.RepositoryUrl,
        Ref = head.Ref,
        Commit = head.Commit,
        Message = Truncate(head.Message, 10_000),
        Author = Truncate(head.Author, 500),
        DiscoveredAt = discoveredAt,
        RefreshId = runId,
        DeliveryIds = [.. head.DeliveryIds],
    };

    /// <summary>
    /// Saves the tracked changes (requests, run, Freight, outbox, the warehouse's last refresh) in one transaction. A
    /// delivery whose last open request this completes is processed from then on: its state is derived from its requests
    /// (<see cref="DeliveryStatus"/>), so the pass writes nothing to the delivery.
    /// </summary>
    private static Task CommitAsync(WebhooksDbContext db) => db.SaveChangesAsync();

    private async Task TryMarkFailedAsync(Guid runId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await MarkFailedAsync(db, runId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _unfinishedRun = runId;
        }
    }

    private async Task MarkFailedAsync(WebhooksDbContext db, Guid runId) =>
        await db.Refreshes
            .Where(r => r.Id == runId && r.Status == RefreshStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RefreshStatus.Failed)
                .SetProperty(r => r.FinishedAt, now())
                .SetProperty(r => r.Error, UnexpectedError));

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse {WarehouseId} refreshed {Requests} request(s): {NewFreight} new Freight, {Status}")]
    private partial void LogRefreshed(Guid warehouseId, int requests, int newFreight, RefreshStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse {WarehouseId} already had every head of {Requests} pending request(s): deduplicated without a refresh")]
    private partial void LogDeduplicatedPending(Guid warehouseId, int requests);
}
