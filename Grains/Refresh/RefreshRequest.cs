using Webhooks.Grains.Abstractions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// A durable refresh request: written before a warehouse acknowledges it, completed by the refresh that handled it.
/// Requests not completed are queued (<see cref="QueuedRequest"/>): the warehouse's pending work, resumed after a silo
/// dies. The row is written once; its completion (<see cref="RefreshId"/>, <see cref="Outcome"/>,
/// <see cref="CompletedAt"/>) is a row of its own, <see cref="RefreshOutcome"/>, which readers join
/// (<see cref="RefreshTables"/>' <c>RefreshRequestsWithOutcomes</c>).
/// </summary>
public sealed class RefreshRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WarehouseId { get; set; }

    /// <summary>The delivery that caused it; unique per warehouse so a re-dispatched delivery asks only once.</summary>
    public Guid? DeliveryId { get; set; }

    public RefreshReason Reason { get; set; }

    public string? RepositoryKey { get; set; }

    public List<RequestedHead> Heads { get; set; } = [];

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>
    /// When its delivery was received (null: no delivery, or none recorded): written with the request, from the history
    /// row it was dispatched for, so that a pass tells a late push (<see cref="SupersededPushes"/>) without reading the
    /// deliveries, whose wide rows are the table a busy buffer pool evicts first.
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; set; }

    /// <summary>Of the <see cref="RefreshOutcome"/>: not a column of the request's row.</summary>
    public Guid? RefreshId { get; set; }

    /// <summary>Of the <see cref="RefreshOutcome"/>; null while the request is pending.</summary>
    public RefreshRequestOutcome? Outcome { get; set; }

    /// <summary>Of the <see cref="RefreshOutcome"/>; null while the request is pending.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
