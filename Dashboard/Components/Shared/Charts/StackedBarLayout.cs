namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>
/// Where every rectangle of a stacked bar chart goes, in SVG units: bars side by side across the plot, each one's series
/// stacked bottom-up in legend order, heights on one <see cref="ChartScale"/>. Kept apart from the markup so the geometry
/// can be tested alone.
/// </summary>
public sealed record StackedBarLayout(
    ChartScale Scale,
    double PlotLeft,
    double PlotTop,
    double PlotWidth,
    double PlotHeight,
    double BarWidth,
    IReadOnlyList<StackedBar> Bars)
{
    /// <summary>The fraction of each bar's slot left empty between bars.</summary>
    public const double Gap = 0.2;

    public double Baseline => PlotTop + PlotHeight;

    /// <summary>The y of a gridline for <paramref name="value"/>.</summary>
    public double YOf(long value) => Baseline - Scale.HeightOf(value, PlotHeight);

    public static StackedBarLayout Compute(
        IReadOnlyList<TimeBucket> buckets,
        IReadOnlyList<ChartSeries> series,
        double width,
        double height,
        double left,
        double top,
        double right,
        double bottom)
    {
        var plotWidth = Math.Max(0, width - left - right);
        var plotHeight = Math.Max(0, height - top - bottom);
        var scale = ChartScale.For(buckets.Count == 0 ? 0 : buckets.Max(bucket => series.Sum(s => bucket[s.Key])));
        var slot = buckets.Count == 0 ? 0 : plotWidth / buckets.Count;
        var barWidth = slot * (1 - Gap);

        var bars = buckets.Select((bucket, index) =>
        {
            var x = left + (slot * index) + ((slot - barWidth) / 2);
            var y = top + plotHeight;
            var segments = new List<BarSegment>();
            foreach (var s in series)
            {
                var count = bucket[s.Key];
                if (count == 0)
                {
                    continue;
                }

                var segmentHeight = scale.HeightOf(count, plotHeight);
                y -= segmentHeight;
                segments.Add(new BarSegment(s, count, y, segmentHeight));
            }

            return new StackedBar(bucket, x, segments);
        }).ToList();

        return new StackedBarLayout(scale, left, top, plotWidth, plotHeight, barWidth, bars);
    }
}

/// <summary>One bar: its bucket, its left edge and its non-empty segments, bottom first.</summary>
public sealed record StackedBar(TimeBucket Bucket, double X, IReadOnlyList<BarSegment> Segments)
{
    public long Total => Segments.Sum(segment => segment.Count);
}

/// <summary>One series' part of a bar.</summary>
public sealed record BarSegment(ChartSeries Series, long Count, double Y, double Height);
