using System.ComponentModel.DataAnnotations;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>How the Deliveries pages follow the history (section <c>Dashboard:Deliveries</c>).</summary>
public sealed class DeliveriesOptions
{
    public const string SectionName = "Dashboard:Deliveries";

    /// <summary>How often an open Deliveries page reads the newest page again, and a delivery's page its progress.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rows per page of the grid.</summary>
    [Range(10, 200)]
    public int PageSize { get; set; } = 50;
}
