using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// What one refresh of a warehouse does: take every pending request, drop those whose heads have all become Freight
/// meanwhile (deduplicated) or whose push a later one overtook (superseded), discover the current heads for the rest,
/// and commit the new Freight, its outbox rows, the run and the requests' completion in one transaction.
/// <see cref="WarehouseGrain"/> decides when it runs (never two at once, and the pass's lock against a zombie
/// activation, see <see cref="PassStatements"/>); this class only runs it.
/// <para>
/// A warehouse whose subscriptions all take their heads from the payload needs nothing but the database: its pass is
/// planned by <see cref="Plan"/> and read and written with the passes of the silo's other warehouses
/// (<see cref="RefreshPassBatcher"/>), two round trips for all of them. A git-mode pass lists repositories, which may
/// take a while: it has its own connection, within the silo's cap on the grains' database work.
/// </para>
/// </summary>
internal sealed partial class RefreshPass(
    Guid warehouseId,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    RefreshPassBatcher batcher,
    GrainDatabaseGate gate,
    HeadDiscovery discovery,
    NotificationSignal notificationSignal,
    RefreshMetrics metrics,
    TimeProvider clock,
    Func<DateTimeOffset> now,
    ILogger logger)
{
    public const string UnexpectedError = "The refresh stopped on an unexpected error; its requests stay pending and are tried again.";

    // The warehouse and its subscriptions (null: deleted), read by every pass and changed only through the management
    // API, which invalidates them (WarehouseGrain.InvalidateAsync).
    private readonly ReloadedCopy<Warehouse?> _warehouse = new(
        () => LoadWarehouseAsync(dbFactory, warehouseId),
        clock,
        e => LogReloadFailed(logger, warehouseId, e.GetType().Name, e.Message));

    // A run that threw and could not even be marked failed (the database was refusing): marked at the next pass, so
    // the warehouse does not show "refreshing" for as long as the activation lives.
    private Guid? _unfinishedRun;

    /// <summary>One refresh over every pending request; false when there was none.</summary>
    /// <exception cref="WarehouseBusyException">Another activation is refreshing the warehouse.</exception>
    public async Task<bool> RunAsync()
    {
        var warehouse = await _warehouse.GetAsync();
        if (warehouse is null)
        {
            return false;
        }

        var started = clock.GetTimestamp();
        IReadOnlyList<Guid> unfinished = _unfinishedRun is { } run ? [run] : [];
        PassWrite? write;
        if (ListsRepositories(warehouse))
        {
            using var slot = await gate.EnterAsync();
            write = await RunListingAsync(warehouse, unfinished, started);
        }
        else
        {
            write = await batcher.RunAsync(warehouseId, unfinished, state => Plan(warehouse, state));
            _unfinishedRun = null;
            if (write?.Run is { } payloadRun)
            {
                metrics.Started();
                metrics.Finished(payloadRun.Status, clock.GetElapsedTime(started));
            }
        }

        if (write is null)
        {
            return false;
        }

        Report(warehouse, write);
        return true;
    }

    /// <summary>The warehouse's configuration changed: the next pass reads it again.</summary>
    public void Invalidate() => _warehouse.Invalidate();

    /// <summary>
    /// A payload-mode pass over <paramref name="state"/>: what it commits, or null when nothing is pending. Pure (it
    /// runs on the batcher's thread, not the grain's).
    /// </summary>
    private PassWrite? Plan(Warehouse warehouse, PassState state)
    {
        if (state.Pending.Count == 0)
        {
            return null;
        }

        var (redundant, taken) = Split(state, now());
        if (taken.Count == 0)
        {
            return new PassWrite(warehouseId, null, redundant, [], false, null);
        }

        var run = NewRun(taken, now());
        var heads = HeadDiscovery.DiscoverFromPayload(warehouse.Subscriptions, taken);
        return Finish(warehouse, run, redundant, taken, heads, [], state.Known, now());
    }

    /// <summary>
    /// A pass that lists repositories: on its own connection, the run written as running before the listing (which may
    /// take a while) and finished with the rest.
    /// </summary>
    private async Task<PassWrite?> RunListingAsync(Warehouse warehouse, IReadOnlyList<Guid> unfinished, long started)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        try
        {
            var state = (await PassStatements.ReadAsync(connection, [warehouseId], unfinished, UnexpectedError, now()))[warehouseId]
                ?? throw new WarehouseBusyException(warehouseId);
            _unfinishedRun = null;
            if (state.Pending.Count == 0)
            {
                return null;
            }

            var (redundant, taken) = Split(state, now());
            if (taken.Count == 0)
            {
                var deduplicated = new PassWrite(warehouseId, null, redundant, [], false, null);
                await PassStatements.WriteAsync(connection, [deduplicated], unlock: false);
                return deduplicated;
            }

            var run = NewRun(taken, now());
            await PassStatements.WriteAsync(connection, [new PassWrite(warehouseId, run, [], [], false, null)], unlock: false);
            metrics.Started();
            try
            {
                var (heads, errors) = await discovery.DiscoverAsync(warehouse.Subscriptions, taken, CancellationToken.None);
                var known = await PassStatements.KnownAsync(connection, warehouseId, [.. heads.Select(h => (h.RepositoryKey, h.Ref, h.Commit))]);
                // Freight, its outbox rows, the run's end and the requests' completion commit together: a crash before the
                // commit leaves the requests pending and the next activation redoes the whole refresh.
                var write = Finish(warehouse, run, redundant, taken, heads, errors, known, now());
                await PassStatements.WriteAsync(connection, [write], unlock: false);
                metrics.Finished(run.Status, clock.GetElapsedTime(started));
                return write;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.Finished(RefreshStatus.Failed, clock.GetElapsedTime(started));
                await TryMarkFailedAsync(run.Id);
                throw;
            }
        }
        finally
        {
            await PassStatements.UnlockAsync(connection, logger);
        }
    }

    /// <summary>
    /// The pending requests that need no refresh, completed at <paramref name="at"/> (their heads all Freight already,
    /// or overtaken by a later push), and the rest in push order.
    /// </summary>
    private static (List<RefreshRequest> Redundant, List<RefreshRequest> Taken) Split(PassState state, DateTimeOffset at)
    {
        // Requests written while the previous refresh ran, for heads that refresh has since made Freight (a burst of one
        // head), need no refresh of their own: the same rule intake applies.
        var deduplicated = state.Pending.Where(r => state.Known.HasEvery(r.Heads)).ToList();
        var rest = state.Pending.Except(deduplicated).ToList();
        var superseded = SupersededPushes.Find(rest, state);
        foreach (var request in deduplicated)
        {
            request.Outcome = RefreshRequestOutcome.Deduplicated;
            request.CompletedAt = at;
        }

        foreach (var request in superseded)
        {
            request.Outcome = RefreshRequestOutcome.Superseded;
            request.CompletedAt = at;
        }

        return ([.. deduplicated, .. superseded], SupersededPushes.InPushOrder(rest.Except(superseded).ToList()));
    }

    private RefreshRun NewRun(List<RefreshRequest> taken, DateTimeOffset at) => new()
    {
        WarehouseId = warehouseId,
        StartedAt = at,
        Status = RefreshStatus.Running,
        Requests = taken.Count,
        Coalesced = taken.Count - 1,
    };

    /// <summary>The run's end: the new Freight among <paramref name="heads"/>, the run's result, the requests completed.</summary>
    private PassWrite Finish(
        Warehouse warehouse, RefreshRun run, List<RefreshRequest> redundant, List<RefreshRequest> taken,
        List<DiscoveredHead> heads, List<string> errors, KnownHeads known, DateTimeOffset finished)
    {
        // When each taken request's delivery was received: a Freight is announced by the newest of its deliveries.
        var received = new Dictionary<Guid, DateTimeOffset>();
        foreach (var request in taken)
        {
            if (request is { DeliveryId: { } deliveryId, ReceivedAt: { } at })
            {
                received[deliveryId] = at;
            }
        }

        var freight = heads
            .Where(h => !known.Contains(h.RepositoryKey, h.Ref, h.Commit))
            .Select(head => ToFreight(head, run.Id, finished, received))
            .ToList();
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

        // The git poller's clock only: a payload-only warehouse is never polled, and writing its row on every pass made
        // each pass update the warehouses table too.
        return new PassWrite(warehouseId, run, [.. redundant, .. taken], freight, warehouse.NotifyUrl is not null,
            ListsRepositories(warehouse) ? finished : null);
    }

    /// <summary>
    /// Whether the warehouse's passes list repositories (it has a git-mode subscription): then the pass runs on its own
    /// connection, and the git poller polls the warehouse by its last refresh.
    /// </summary>
    private static bool ListsRepositories(Warehouse warehouse) => warehouse.Subscriptions.Any(s => s.Discovery == DiscoveryMode.Git);

    /// <summary>After the commit: metrics, the notifier's wake-up, the log.</summary>
    private void Report(Warehouse warehouse, PassWrite write)
    {
        metrics.Deduplicated(write.Deduplicated);
        if (write.Run is not { } run)
        {
            LogDeduplicatedPending(warehouseId, write.Completed.Count);
            return;
        }

        metrics.Coalesced(run.Coalesced);
        if (write.Freight.Count > 0 && warehouse.NotifyUrl is not null)
        {
            notificationSignal.Notify();
        }

        if (run.Status == RefreshStatus.Succeeded)
        {
            LogRefreshed(warehouseId, run.Requests, run.NewFreight);
        }
        else
        {
            LogRefreshFailed(warehouseId, run.Requests, run.NewFreight, run.Error);
        }
    }

    private static async Task<Warehouse?> LoadWarehouseAsync(IDbContextFactory<WebhooksDbContext> dbFactory, Guid warehouseId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Warehouses.AsNoTracking()
            .Include(w => w.Subscriptions.OrderBy(s => s.Position))
            .FirstOrDefaultAsync(w => w.Id == warehouseId);
    }

    private Freight ToFreight(DiscoveredHead head, Guid runId, DateTimeOffset discoveredAt, IReadOnlyDictionary<Guid, DateTimeOffset> received) => new()
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
        AnnouncedAt = head.DeliveryIds.Select(id => received.TryGetValue(id, out var at) ? at : (DateTimeOffset?)null).Max(),
    };

    private async Task TryMarkFailedAsync(Guid runId)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await PassStatements.MarkFailedAsync(connection, runId, UnexpectedError, now());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _unfinishedRun = runId;
        }
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload warehouse {WarehouseId}'s settings ({Error}: {Reason}); the copy loaded before is kept")]
    private static partial void LogReloadFailed(ILogger logger, Guid warehouseId, string error, string reason);

    // Debug: one line per pass, as often as pushes come, would be the busiest log of the service; the run is in the
    // warehouse's refresh history and the metrics count it.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Warehouse {WarehouseId} refreshed {Requests} request(s): {NewFreight} new Freight")]
    private partial void LogRefreshed(Guid warehouseId, int requests, int newFreight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse {WarehouseId} refreshed {Requests} request(s) with errors: {NewFreight} new Freight; {Error}")]
    private partial void LogRefreshFailed(Guid warehouseId, int requests, int newFreight, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warehouse {WarehouseId} already had every head of {Requests} pending request(s): completed without a refresh")]
    private partial void LogDeduplicatedPending(Guid warehouseId, int requests);
}
