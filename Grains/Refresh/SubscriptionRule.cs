using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>A subscription as routing and discovery need it: which warehouse, which repository, which refs.</summary>
public sealed record SubscriptionRule(
    Guid WarehouseId,
    Guid SubscriptionId,
    string RepositoryKey,
    string RepositoryUrl,
    string? Branch,
    string? Tag,
    DiscoveryMode Discovery)
{
    public static SubscriptionRule From(Subscription subscription) => new(
        subscription.WarehouseId,
        subscription.Id,
        subscription.RepositoryKey,
        subscription.RepositoryUrl,
        subscription.Branch,
        subscription.Tag,
        subscription.Discovery);
}
