using Webhooks.Grains.Management;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>Everything the warehouse page shows, read together on every poll.</summary>
public sealed record WarehouseSnapshot(
    WarehouseView Warehouse,
    IReadOnlyList<RefreshView> Refreshes,
    IReadOnlyList<RefreshRequestView> Requests,
    IReadOnlyList<FreightView> Freight,
    FreightNotificationPage Notifications)
{
    public const int RefreshesShown = 20;

    public const int RequestsShown = 100;

    public const int FreightShown = 50;

    /// <summary>Freight per page of the notifications table.</summary>
    public const int NotificationsPerPage = 10;

    /// <summary>The snapshot, or the failure that stopped the first read (the warehouse or project is gone).</summary>
    public static async Task<ManagementResult<WarehouseSnapshot>> ReadAsync(
        WarehouseCatalog warehouses, WarehouseHistory history, string project, string name, int notificationsPage, CancellationToken cancellationToken)
    {
        var warehouse = await warehouses.GetAsync(project, name, cancellationToken);
        if (warehouse.Failure is { } failure)
        {
            return failure;
        }

        var refreshes = await history.ListRefreshesAsync(project, name, RefreshesShown, cancellationToken);
        var requests = await history.ListRequestsAsync(project, name, RequestsShown, cancellationToken);
        var freight = await history.ListFreightAsync(project, name, FreightShown, cancellationToken);
        var notifications = await history.ListFreightNotificationsAsync(project, name, notificationsPage, NotificationsPerPage, cancellationToken);
        // Deleted between the reads: report it as the lists saw it.
        if ((refreshes.Failure ?? requests.Failure ?? freight.Failure ?? notifications.Failure) is { } gone)
        {
            return gone;
        }

        return new WarehouseSnapshot(warehouse.Value, refreshes.Value, requests.Value, freight.Value, notifications.Value);
    }
}
