namespace Webhooks.Grains.Deliveries;

/// <summary>What a filter names but does not exist: the caller says so instead of showing an empty page.</summary>
public enum DeliveryFilterMiss
{
    None,
    UnknownProject,
    UnknownReceiver,
}

/// <summary>A page of the history, newest first; <see cref="Next"/> is where the following page starts, if any.</summary>
public sealed record DeliveryListing(IReadOnlyList<DeliveryListItem> Items, DeliveryCursor? Next, DeliveryFilterMiss Miss = DeliveryFilterMiss.None)
{
    public static DeliveryListing Missing(DeliveryFilterMiss miss) => new([], null, miss);
}
