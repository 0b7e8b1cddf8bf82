namespace Webhooks.Grains.Abstractions;

/// <summary>A request to refresh a warehouse: why, which delivery (if any) caused it, and the heads it announced.</summary>
/// <param name="RepositoryKey">The repository the event was about; null for manual and interval refreshes.</param>
/// <param name="Heads">New heads of subscribed refs (never deletions); empty for mirror, manual and interval requests.</param>
[GenerateSerializer, Immutable, Alias("Webhooks.RefreshTrigger")]
public sealed record RefreshTrigger(
    [property: Id(0)] RefreshReason Reason,
    [property: Id(1)] Guid? DeliveryId,
    [property: Id(2)] string? RepositoryKey,
    [property: Id(3)] IReadOnlyList<RequestedHead> Heads);
