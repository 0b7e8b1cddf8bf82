namespace Webhooks.Grains.Notifications;

/// <summary>
/// A warehouse's notify target whose latest attempt failed: since when, how many attempts failed since, how many of
/// the warehouse's Freight still wait to be posted, and the last error (a status or the connection's failure).
/// </summary>
public sealed record FailingTarget(
    Guid WarehouseId,
    string Project,
    string Warehouse,
    string Target,
    DateTimeOffset Since,
    DateTimeOffset LastAttemptAt,
    long FailedAttempts,
    long FreightWaiting,
    string? LastError);
