namespace Webhooks.Grains.Refresh;

/// <summary>
/// A <see cref="RefreshRequest"/> still waiting for a refresh: the warehouse's pending work, in the order it was asked
/// for. Written with the request and deleted by the pass that completes it, in the transaction that writes its
/// <see cref="RefreshOutcome"/>; a request has a queue row exactly while it has no outcome. The queue is kept apart so
/// that the passes walk a few pages of pending work, not the requests' history: a partial index "where not completed"
/// on the request itself made every completion a new row version in each of the table's indexes (docs/benchmarks.md,
/// steps 11 and 13).
/// </summary>
public sealed class QueuedRequest
{
    public Guid WarehouseId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public Guid RequestId { get; set; }

    /// <summary>The queue row of <paramref name="request"/>, a request not completed yet.</summary>
    public static QueuedRequest Of(RefreshRequest request) =>
        new() { WarehouseId = request.WarehouseId, RequestedAt = request.RequestedAt, RequestId = request.Id };
}
