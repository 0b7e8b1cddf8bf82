namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>A row's fate: committed, or a duplicate of <see cref="Original"/> (null when another request committed it
/// after this insert began and the statement could not see it yet: ask <see cref="Webhooks.Grains.Deliveries.DeliveryLifecycle.OwnerAsync"/>).</summary>
public readonly record struct Recorded(RecordOutcome Outcome, Guid? Original);
