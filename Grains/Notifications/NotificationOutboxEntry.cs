namespace Webhooks.Grains.Notifications;

/// <summary>
/// A Freight event still to be posted downstream, written in the same transaction as its Freight so it is never lost;
/// claimed by one dispatcher at a time (<c>FOR UPDATE SKIP LOCKED</c> plus a lease).
/// </summary>
public sealed class NotificationOutboxEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid FreightId { get; set; }

    public Guid WarehouseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public NotificationStatus Status { get; set; }

    /// <summary>Rounds of delivery so far (each round is the notifier's own retries with back-off).</summary>
    public int Rounds { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A dispatcher holds the entry until then; after it, another may claim it (the holder died).</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? LastError { get; set; }
}
