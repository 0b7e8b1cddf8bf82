namespace Webhooks.Grains.Deliveries;

/// <summary>
/// The answer to a redelivery, also kept as the new row's answer: <see cref="DeliveryId"/> is the new delivery;
/// <see cref="Warehouses"/> how many warehouses were asked to refresh (null when the repository grain did not answer in
/// time; the sweeper then routes it, and the grain writes the count into the stored answer).
/// </summary>
public sealed record RedeliveryAnswer(Guid DeliveryId, Guid RedeliveryOf, string Event, string Outcome, int? Warehouses);
