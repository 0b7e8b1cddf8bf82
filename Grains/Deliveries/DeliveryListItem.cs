namespace Webhooks.Grains.Deliveries;

/// <summary>One row of the delivery history, with project, receiver and token named; a redelivery names its original.</summary>
public sealed record DeliveryListItem(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string? Project,
    string? Receiver,
    string? Token,
    string Source,
    string? Event,
    string? RequestId,
    DeliveryOutcome Outcome,
    int StatusCode,
    string? Reason,
    string? RepositoryKey,
    DeliveryState? State,
    double DurationMs,
    Guid? RedeliveryOf = null);
