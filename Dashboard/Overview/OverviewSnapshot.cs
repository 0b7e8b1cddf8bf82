using Webhooks.Dashboard.Components.Shared.Charts;
using Webhooks.Grains.Deliveries;

namespace Webhooks.Dashboard.Overview;

/// <summary>The last hour of the stack, as read at <see cref="ReadAt"/>.</summary>
public sealed record OverviewSnapshot(
    DateTimeOffset ReadAt,
    IReadOnlyList<ChartPoint> DeliveriesPerMinute,
    IReadOnlyList<ChartPoint> RefreshesPerMinute,
    AnswerLatency Latency,
    IReadOnlyList<DeliveryListItem> LatestFailures,
    bool AnyDeliveryEver,
    OverviewAttention Attention)
{
    public long Deliveries => DeliveriesPerMinute.Sum(p => p.Count);

    public long Rejected => DeliveriesPerMinute.Where(p => p.Series == nameof(DeliveryOutcome.Rejected)).Sum(p => p.Count);

    public long Refreshes => RefreshesPerMinute.Sum(p => p.Count);

    /// <summary>Rejected requests as a share of every request of the hour; null when there were none.</summary>
    public double? ErrorRate => Deliveries == 0 ? null : (double)Rejected / Deliveries;
}

/// <summary>How long ingress took to answer accepted deliveries (the ones that wait for their commit), in milliseconds.</summary>
public sealed record AnswerLatency(double? P50, double? P99, long Samples);
