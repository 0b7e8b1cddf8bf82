namespace Webhooks.Grains.Warehouses;

/// <summary>
/// One repository a warehouse follows, and which of its refs: <see cref="Branch"/> and <see cref="Tag"/> are glob
/// patterns (<c>*</c>, <c>**</c>, <c>?</c>); with neither, the repository's default branch (see <c>RefSelector</c>).
/// </summary>
public sealed class Subscription
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WarehouseId { get; set; }

    /// <summary>Order within the warehouse, as the subscriptions were given.</summary>
    public int Position { get; set; }

    /// <summary>Canonical key (<c>RepositoryKey</c>): the repository grain's key.</summary>
    public required string RepositoryKey { get; set; }

    /// <summary>The URL as given: what git mode lists.</summary>
    public required string RepositoryUrl { get; set; }

    public string? Branch { get; set; }

    public string? Tag { get; set; }

    public DiscoveryMode Discovery { get; set; }

    /// <summary><c>GitCredentials</c> as JSON, encrypted; null when the repository needs none.</summary>
    public string? ProtectedCredentials { get; set; }
}
