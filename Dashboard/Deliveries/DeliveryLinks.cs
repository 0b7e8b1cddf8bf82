namespace Webhooks.Dashboard.Deliveries;

/// <summary>Where the dashboard shows a delivery and the warehouses it refreshed.</summary>
public static class DeliveryLinks
{
    public static string Delivery(Guid id) => $"/deliveries/{id}";

    /// <summary>A warehouse's page (<c>/warehouses/{project}/{name}</c>), or the Warehouses list when the project is unknown.</summary>
    public static string Warehouse(string? project, string warehouse) =>
        project is null ? "/warehouses" : $"/warehouses/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(warehouse)}";
}
