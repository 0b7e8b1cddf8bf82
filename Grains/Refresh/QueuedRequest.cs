namespace Webhooks.Grains.Refresh;

/// <summary>
/// A <see cref="RefreshRequest"/> still waiting for a refresh: the warehouse's pending work, in the order it was asked
/// for. Written with the request and deleted by the pass that completes it, in the same transaction; a request has a
/// queue row exactly while its <see cref="RefreshRequest.CompletedAt"/> is null. The queue is kept apart so that no
/// index of <c>refresh_requests</c> names what a completion changes, which lets that update be HOT (no index entry
/// written, the old version pruned on its page): a partial index "where not completed" on the request itself made
/// every completion a new row version in each of the table's indexes (docs/benchmarks.md, step 11).
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
