namespace Webhooks.Grains.Refresh;

/// <summary>A head discovery found for a followed ref: Freight if the warehouse does not have it yet.</summary>
public sealed record DiscoveredHead(
    Guid SubscriptionId,
    string RepositoryKey,
    string RepositoryUrl,
    string Ref,
    string Commit,
    string? Message,
    string? Author,
    IReadOnlyList<Guid> DeliveryIds);
