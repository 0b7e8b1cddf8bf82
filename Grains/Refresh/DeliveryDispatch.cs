using Microsoft.Extensions.Logging;
using Webhooks.Grains.Abstractions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Hands a repository's accepted deliveries to their warehouses after ingress has answered, in batches: everything
/// queued while one batch is written goes into the next. A batch writes the refresh requests of all its deliveries for
/// all their warehouses and marks the deliveries dispatched, in one transaction (<see cref="DispatchWriter"/>, which
/// commits the batches of every repository grain of the silo together), then wakes each warehouse once. Whether a
/// request is redundant (its heads already Freight) is the warehouse's refresh pass to decide, as it is for requests
/// written while a refresh runs.
/// <para>
/// Owned by a <see cref="RepositoryGrain"/> activation and only run on its single-threaded scheduler, so the queue
/// needs no lock. Nothing here is durable, and need not be: a delivery is committed <c>accepted</c> before it is
/// queued, and one whose dispatch is lost (silo crash, the database refusing) stays <c>accepted</c> until the
/// receivers' sweeper routes it again; routing is idempotent per delivery.
/// </para>
/// </summary>
internal sealed partial class DeliveryDispatch(
    IGrainFactory grains,
    DispatchWriter writer,
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
    private readonly RequestClock _requestClock = new(now);

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
        try
        {
            await WriteAsync(batch);

            // The requests are durable: wake their warehouses, one-way. A wake-up lost (a silo dying) leaves the
            // requests pending until the refresh sweeper resumes the warehouse.
            var warehouses = batch.SelectMany(q => q.Triggers.Keys).Distinct().ToList();
            foreach (var warehouseId in warehouses)
            {
                Wake(warehouseId);
            }

            LogDispatched(batch.Count, warehouses.Count);
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed: the rows stay accepted and the sweeper routes them again.
            LogDispatchFailed(batch.Count, e.GetType().Name, e.Message);
        }

        foreach (var queued in batch)
        {
            queued.Done.TrySetResult();
        }
    }

    /// <summary>
    /// Every refresh request of the batch, for all its warehouses, and the deliveries' new state, in one round trip and
    /// one transaction: a delivery is never marked dispatched without its requests, nor has requests while accepted.
    /// </summary>
    private async Task WriteAsync(List<Queued> batch)
    {
        var requests = new List<RefreshRequest>();
        foreach (var queued in batch)
        {
            foreach (var (warehouseId, trigger) in queued.Triggers)
            {
                requests.Add(new RefreshRequest
                {
                    WarehouseId = warehouseId,
                    DeliveryId = trigger.DeliveryId,
                    Reason = trigger.Reason,
                    RepositoryKey = trigger.RepositoryKey,
                    Heads = [.. trigger.Heads],
                    RequestedAt = _requestClock.Next(),
                });
            }
        }

        await writer.WriteAsync(requests, [.. batch.Select(q => (q.DeliveryId, q.Triggers.Count))]);
    }

    private void Wake(Guid warehouseId)
    {
        try
        {
            // One-way: completes as soon as the message is on its way.
            _ = grains.GetGrain<IWarehouseGrain>(warehouseId).ResumeAsync();
        }
        catch (Exception e)
        {
            LogWakeFailed(warehouseId, e.GetType().Name, e.Message);
        }
    }

    private sealed record Queued(Guid DeliveryId, IReadOnlyDictionary<Guid, RefreshTrigger> Triggers)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched {Deliveries} delivery(ies) to {Warehouses} warehouse(s)")]
    private partial void LogDispatched(int deliveries, int warehouses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} delivery(ies) were not dispatched now ({Error}: {Reason}); the sweeper will dispatch them")]
    private partial void LogDispatchFailed(int count, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse {WarehouseId} was not told of its new refresh requests ({Error}: {Reason}); the refresh sweeper will resume it")]
    private partial void LogWakeFailed(Guid warehouseId, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch queue full: delivery {DeliveryId} is left to the sweeper")]
    private partial void LogQueueFull(Guid deliveryId);
}
