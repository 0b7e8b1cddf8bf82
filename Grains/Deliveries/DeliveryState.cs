namespace Webhooks.Grains.Deliveries;

/// <summary>How far an accepted delivery has got: committed, handed to the grains, fully processed.</summary>
public enum DeliveryState
{
    Accepted,
    Dispatched,
    Processed,
}
