namespace Webhooks.Dashboard.Deliveries;

/// <summary>Where the dashboard shows a delivery and the warehouses it refreshed.</summary>
public static class DeliveryLinks
{
    public static string Delivery(Guid id) => $"/deliveries/{id}";

    /// <summary>The Warehouses page, filtered to one warehouse of one project.</summary>
    public static string Warehouse(string? project, string warehouse) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/warehouses", new Dictionary<string, string?>
        {
            ["project"] = project,
            ["name"] = warehouse,
        });
}
