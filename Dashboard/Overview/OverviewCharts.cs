using Webhooks.Dashboard.Components.Shared.Charts;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Refresh;

namespace Webhooks.Dashboard.Overview;

/// <summary>The Overview's chart series: the stored enum names as keys, coloured by what they mean.</summary>
public static class OverviewCharts
{
    public static readonly IReadOnlyList<ChartSeries> DeliveryOutcomes =
    [
        new(nameof(DeliveryOutcome.Accepted), "accepted", "var(--colorPaletteGreenBackground3, #107c10)"),
        new(nameof(DeliveryOutcome.Ignored), "ignored", "var(--colorNeutralStrokeAccessible, #616161)"),
        new(nameof(DeliveryOutcome.Duplicate), "duplicate", "var(--colorPaletteYellowBackground3, #fde300)"),
        new(nameof(DeliveryOutcome.Pong), "pong", "var(--colorPaletteBlueBorderActive, #0078d4)"),
        new(nameof(DeliveryOutcome.Rejected), "rejected", "var(--colorPaletteRedBackground3, #d13438)"),
    ];

    public static readonly IReadOnlyList<ChartSeries> RefreshStatuses =
    [
        new(nameof(RefreshStatus.Succeeded), "succeeded", "var(--colorPaletteGreenBackground3, #107c10)"),
        new(nameof(RefreshStatus.Running), "running", "var(--colorPaletteBlueBorderActive, #0078d4)"),
        new(nameof(RefreshStatus.Interrupted), "interrupted", "var(--colorPaletteDarkOrangeBackground3, #da3b01)"),
        new(nameof(RefreshStatus.Failed), "failed", "var(--colorPaletteRedBackground3, #d13438)"),
    ];

    /// <summary>Sixty one-minute bars, the last one the minute now is in.</summary>
    public static IReadOnlyList<TimeBucket> PerMinute(IEnumerable<ChartPoint> points, DateTimeOffset now) =>
        TimeBuckets.Fill(points, now, TimeSpan.FromMinutes(1), (int)OverviewStatistics.Window.TotalMinutes);
}
