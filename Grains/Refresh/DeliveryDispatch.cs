using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Hands a repository's accepted deliveries to their warehouses after ingress has answered, in batches: everything
/// queued while one batch is written goes into the next, whose refresh requests are sent together (so each warehouse's
/// <see cref="RefreshIntake"/> commits them as one write) and whose deliveries are marked dispatched by one UPDATE.
/// <para>
/// Owned by a <see cref="RepositoryGrain"/> activation and only run on its single-threaded scheduler, so the queue
/// needs no lock. Nothing here is durable, and need not be: a delivery is committed <c>accepted</c> before it is
/// queued, and one whose dispatch is lost (silo crash, a warehouse refusing) stays <c>accepted</c> until the
/// receivers' sweeper routes it again; routing is idempotent per delivery.
/// </para>
/// </summary>
internal sealed partial class DeliveryDispatch(
    IGrainFactory grains,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    GrainDatabaseGate gate,
    Func<DateTimeOffset> now,
    ILogger logger)
{
    /// <summary>
    /// Beyond this many queued deliveries new ones are left to the sweeper instead of growing memory without bound
    /// while the warehouses cannot keep up.
    /// </summary>
    public const int MaxQueued = 20_000;

    private List<Queued> _queue = [];
    private Task _loop = Task.CompletedTask;

    /// <summary>Completes once everything queued so far has been dispatched (or left to the sweeper).</summary>
    public Task Drained => _loop;

    /// <summary>Queues a delivery; the task completes when its requests are durable and the row is marked.</summary>
    /// <returns>False when the queue was full and the sweeper will dispatch the delivery instead.</returns>
    public bool TryEnqueue(Guid deliveryId, IReadOnlyDictionary<Guid, RefreshTrigger> triggers, out Task dispatched)
    {
        if (_queue.Count >= MaxQueued)
        {
            LogQueueFull(deliveryId);
            dispatched = Task.CompletedTask;
            return false;
        }

        var queued = new Queued(deliveryId, triggers);
        _queue.Add(queued);
        if (_loop.IsCompleted)
        {
            _loop = RunAsync();
        }

        dispatched = queued.Done.Task;
        return true;
    }

    private async Task RunAsync()
    {
        // Calls already delivered to the activation run before this continuation and join the first batch.
        await Task.Yield();
        while (_queue.Count > 0)
        {
            var batch = _queue;
            _queue = [];
            await DispatchAsync(batch);
        }
    }

    private async Task DispatchAsync(List<Queued> batch)
    {
        // Every request of the batch at once: each warehouse's intake group-commits what arrives together.
        var sent = batch.Select(async queued =>
        {
            try
            {
                await Task.WhenAll(queued.Triggers.Select(pair => grains.GetGrain<IWarehouseGrain>(pair.Key).RequestRefreshAsync(pair.Value)));
                return true;
            }
            catch (Exception e)
            {
                LogRequestFailed(queued.DeliveryId, e.GetType().Name, e.Message);
                return false;
            }
        }).ToList();
        var requested = await Task.WhenAll(sent);

        var marked = batch.Where((_, i) => requested[i]).ToList();
        try
        {
            if (marked.Count > 0)
            {
                await MarkDispatchedAsync(marked);
            }
        }
        catch (Exception e)
        {
            // The requests are durable; the rows stay accepted and the sweeper marks them (asking nobody twice).
            LogMarkFailed(marked.Count, e.GetType().Name, e.Message);
        }

        foreach (var queued in batch)
        {
            queued.Done.TrySetResult();
        }
    }

    /// <summary>
    /// Dispatched, or straight to processed when every asked warehouse is already done with it (nothing matched, all
    /// deduplicated, or refreshes faster than this update). The count also goes into the recorded answer.
    /// </summary>
    private async Task MarkDispatchedAsync(List<Queued> marked)
    {
        var ids = marked.Select(q => q.DeliveryId).ToArray();
        var counts = marked.Select(q => q.Triggers.Count).ToArray();
        var at = now();
        using var slot = await gate.EnterAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.ExecuteSqlInterpolatedAsync($$"""
            UPDATE deliveries d SET
                "State" = CASE WHEN w.waiting THEN 'Dispatched' ELSE 'Processed' END,
                "DispatchedAt" = {{at}},
                "ProcessedAt" = CASE WHEN w.waiting THEN NULL ELSE {{at}} END,
                "Answer" = CASE WHEN d."Answer" IS NULL THEN NULL ELSE jsonb_set(d."Answer", '{warehouses}', to_jsonb(x.n)) END
            FROM unnest({{ids}}::uuid[], {{counts}}::integer[]) AS x(id, n)
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM refresh_requests r WHERE r."DeliveryId" = x.id AND r."CompletedAt" IS NULL) AS waiting) w
            WHERE d."Id" = x.id AND d."State" = 'Accepted'
            """);
        LogDispatched(marked.Count, marked.Sum(q => q.Triggers.Count));
    }

    private sealed record Queued(Guid DeliveryId, IReadOnlyDictionary<Guid, RefreshTrigger> Triggers)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched {Deliveries} delivery(ies): {Requests} refresh request(s)")]
    private partial void LogDispatched(int deliveries, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was not dispatched now ({Error}: {Reason}); the sweeper will dispatch it")]
    private partial void LogRequestFailed(Guid deliveryId, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} dispatched delivery(ies) could not be marked ({Error}: {Reason}); the sweeper will mark them")]
    private partial void LogMarkFailed(int count, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch queue full: delivery {DeliveryId} is left to the sweeper")]
    private partial void LogQueueFull(Guid deliveryId);
}
