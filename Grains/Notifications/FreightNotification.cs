namespace Webhooks.Grains.Notifications;

/// <summary>The JSON event posted to a warehouse's downstream target when it discovers new Freight.</summary>
public sealed record FreightNotification(
    Guid FreightId,
    string Project,
    string Warehouse,
    string RepositoryKey,
    string RepositoryUrl,
    string Ref,
    string Commit,
    string? Message,
    string? Author,
    DateTimeOffset DiscoveredAt,
    IReadOnlyList<Guid> DeliveryIds);
