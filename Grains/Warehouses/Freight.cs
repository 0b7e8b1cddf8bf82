namespace Webhooks.Grains.Warehouses;

/// <summary>
/// A newly discovered head of a ref a warehouse follows: what downstream systems promote. Unique per
/// (warehouse, repository, ref, commit), so the same head is never Freight twice.
/// </summary>
public sealed class Freight
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WarehouseId { get; set; }

    public Guid? SubscriptionId { get; set; }

    public required string RepositoryKey { get; set; }

    public required string RepositoryUrl { get; set; }

    /// <summary>Full ref name: <c>refs/heads/main</c>, <c>refs/tags/v1.0</c>.</summary>
    public required string Ref { get; set; }

    public required string Commit { get; set; }

    public string? Message { get; set; }

    public string? Author { get; set; }

    public DateTimeOffset DiscoveredAt { get; set; }

    public Guid RefreshId { get; set; }

    /// <summary>The deliveries that announced this head (empty when only listing found it).</summary>
    public List<Guid> DeliveryIds { get; set; } = [];

    /// <summary>
    /// When the newest of <see cref="DeliveryIds"/> was received (null when only listing found it): the push time a later
    /// refresh compares a late push with (<c>SupersededPushes</c>), kept here so that it never reads the deliveries.
    /// </summary>
    public DateTimeOffset? AnnouncedAt { get; set; }
}
