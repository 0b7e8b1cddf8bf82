using Webhooks.Grains.Abstractions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// A durable refresh request: written before a warehouse acknowledges it, completed by the refresh that handled it.
/// Rows without <see cref="CompletedAt"/> are the warehouse's pending work, resumed after a silo dies.
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

    public Guid? RefreshId { get; set; }

    public RefreshRequestOutcome? Outcome { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
