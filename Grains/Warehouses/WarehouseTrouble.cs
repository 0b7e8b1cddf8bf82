namespace Webhooks.Grains.Warehouses;

/// <summary>
/// A warehouse that needs an operator's look: its last refresh failed (<see cref="LastRefreshError"/> says why), or its
/// oldest pending request has waited longer than the threshold asked for.
/// </summary>
public sealed record WarehouseTrouble(
    Guid WarehouseId,
    string Project,
    string Warehouse,
    string? LastRefreshStatus,
    string? LastRefreshError,
    DateTimeOffset? LastRefreshAt,
    DateTimeOffset? OldestPendingAt,
    long PendingRequests)
{
    public bool LastRefreshFailed => LastRefreshStatus == "failed";
}
