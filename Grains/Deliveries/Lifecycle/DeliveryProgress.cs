namespace Webhooks.Grains.Deliveries;

/// <summary>
/// How far an accepted delivery has got, in a narrow row of its own so that the delivery's history row (headers, body,
/// answer: kilobytes) is written once and never rewritten. Written only through <see cref="DeliveryLifecycle"/>: at
/// ingress (accepted), by the dispatch (dispatched, with the warehouse count) and when nothing is left to route
/// (processed). Whether a dispatched delivery is processed is not written at all: it is when none of its refresh
/// requests is open (<see cref="DeliveryStatus"/> derives it).
/// </summary>
public sealed class DeliveryProgress
{
    public Guid DeliveryId { get; set; }

    /// <summary>The delivery's receive time, repeated here so the sweeper finds stranded rows without the wide table.</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>When the repository grain wrote the delivery's refresh requests; null until then.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>How many warehouses the dispatch asked; the answer's <c>warehouses</c>.</summary>
    public int? Warehouses { get; set; }

    /// <summary>
    /// Set only when a delivery is processed without a dispatch: acted on by nobody yet (a pull request, an ALM-only
    /// push), or a stored body the sweeper found nothing to route in.
    /// </summary>
    public DateTimeOffset? ProcessedAt { get; set; }
}
