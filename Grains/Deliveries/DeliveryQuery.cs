namespace Webhooks.Grains.Deliveries;

/// <summary>A page of the delivery history as a client asks for it: every value as written, checked by <see cref="DeliveryCatalog"/>.</summary>
public sealed record DeliveryQuery(string? Project, string? Receiver, string? Event, string? Outcome, string? Before, int? Limit);
