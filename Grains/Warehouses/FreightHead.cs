namespace Webhooks.Grains.Warehouses;

/// <summary>
/// The newest Freight of each ref a warehouse has Freight of, one narrow row per ref: what a refresh pass compares a
/// push with (one received before the newest Freight's announcing push is superseded, <c>SupersededPushes</c>). Written
/// by the statement that inserts the Freight and updated in place; it replaced an index on <c>freight</c> that every new
/// Freight grew at a random point and that outgrew PostgreSQL's buffer pool under load (docs/benchmarks.md, step 10).
/// </summary>
public sealed class FreightHead
{
    public Guid WarehouseId { get; set; }

    public required string RepositoryKey { get; set; }

    /// <summary>Full ref name: <c>refs/heads/main</c>, <c>refs/tags/v1.0</c>.</summary>
    public required string Ref { get; set; }

    /// <summary>The newest Freight of the ref: by <see cref="DiscoveredAt"/>, then by id.</summary>
    public Guid FreightId { get; set; }

    public required string Commit { get; set; }

    public DateTimeOffset DiscoveredAt { get; set; }

    /// <summary>The Freight's <see cref="Freight.AnnouncedAt"/>.</summary>
    public DateTimeOffset? AnnouncedAt { get; set; }
}
