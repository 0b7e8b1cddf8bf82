namespace Webhooks.Grains.Deliveries;

/// <summary>
/// A delivery's <see cref="DeliveryState"/> as readers see it: the view <c>delivery_status</c> derives it from its
/// <see cref="DeliveryProgress"/> row and its refresh requests' outcomes, so no writer keeps a state column up to date.
/// <list type="bullet">
/// <item>no progress row: not acted on (rejected, duplicate, ignored, pong), no state;</item>
/// <item><see cref="DeliveryProgress.ProcessedAt"/> set: processed without a dispatch;</item>
/// <item>not dispatched yet: <see cref="DeliveryState.Accepted"/>;</item>
/// <item>dispatched, a refresh request still open: <see cref="DeliveryState.Dispatched"/>;</item>
/// <item>dispatched, none open: <see cref="DeliveryState.Processed"/>, dated by the last request's completion.</item>
/// </list>
/// </summary>
public sealed class DeliveryStatus
{
    public Guid DeliveryId { get; set; }

    public DeliveryState State { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public int? Warehouses { get; set; }
}
