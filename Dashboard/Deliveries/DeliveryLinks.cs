namespace Webhooks.Dashboard.Deliveries;

/// <summary>Where the dashboard shows a delivery and the warehouses it refreshed.</summary>
public static class DeliveryLinks
{
    public static string Delivery(Guid id) => $"/deliveries/{id}";

    /// <summary>A warehouse's page (<c>/warehouses/{project}/{name}</c>), or the Warehouses list when the project is unknown.</summary>
    public static string Warehouse(string? project, string warehouse) =>
        project is null ? "/warehouses" : $"/warehouses/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(warehouse)}";

    /// <summary>A Freight on its warehouse's page: the row carries the Freight's id as its anchor.</summary>
    public static string Freight(string project, string warehouse, Guid freight) => $"{Warehouse(project, warehouse)}#freight-{freight}";
}
