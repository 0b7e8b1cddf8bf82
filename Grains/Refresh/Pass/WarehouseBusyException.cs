namespace Webhooks.Grains.Refresh;

/// <summary>Another session holds the warehouse's refresh lock (see <see cref="PassStatements"/>): try again later.</summary>
internal sealed class WarehouseBusyException(Guid warehouseId)
    : Exception($"Warehouse {warehouseId} is being refreshed by another activation (a silo declared dead that still runs).");
