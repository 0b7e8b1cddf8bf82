using System.Globalization;
using Bunit;
using Webhooks.Dashboard.Components.Shared.Charts;

namespace Webhooks.ComponentTests.Charts;

public sealed class StackedBarChartTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 42, TimeSpan.Zero);

    private static readonly ChartSeries[] Series =
    [
        new("Accepted", "accepted", "green"),
        new("Rejected", "rejected", "red"),
    ];

    [Fact]
    public void EveryMinuteIsABarAndASegmentsHeightIsItsShareOfTheScale()
    {
        var buckets = TimeBuckets.Fill(
            [new(Now, "Accepted", 6), new(Now, "Rejected", 2), new(Now.AddMinutes(-1), "Accepted", 1)],
            Now, TimeSpan.FromMinutes(1), 60);

        var chart = Render<StackedBarChart>(parameters => parameters
            .Add(p => p.Buckets, buckets)
            .Add(p => p.Series, Series)
            .Add(p => p.Height, 232));

        var bars = chart.FindAll("[data-testid=bar]");
        Assert.Equal(60, bars.Count);
        Assert.Equal("9", chart.Find("[data-testid=chart]").GetAttribute("data-total"));

        // Largest bar 8 → scale 0..10; plot height 232 − 8 (top) − 24 (bottom) = 200 units, 20 per delivery.
        var last = bars[^1];
        Assert.Equal("8", last.GetAttribute("data-total"));
        var accepted = last.QuerySelector("rect[data-series=Accepted]")!;
        var rejected = last.QuerySelector("rect[data-series=Rejected]")!;
        Assert.Equal(120, Number(accepted, "height"));
        Assert.Equal(40, Number(rejected, "height"));
        // Stacked in legend order from the baseline up: accepted at the bottom, rejected right on top of it.
        Assert.Equal(208, Number(accepted, "y") + Number(accepted, "height"));
        Assert.Equal(Number(accepted, "y"), Number(rejected, "y") + Number(rejected, "height"));

        Assert.Empty(bars[0].QuerySelectorAll("rect"));
        Assert.Equal("10:30: accepted 6, rejected 2", last.QuerySelector("title")!.TextContent);
    }

    [Fact]
    public void TheLegendCountsEachSeriesOverTheWholeWindowAndTheNewestBarIsLabelled()
    {
        var buckets = TimeBuckets.Fill(
            [new(Now, "Accepted", 6), new(Now.AddMinutes(-30), "Accepted", 4), new(Now, "Rejected", 2)],
            Now, TimeSpan.FromMinutes(1), 60);

        var chart = Render<StackedBarChart>(parameters => parameters
            .Add(p => p.Buckets, buckets)
            .Add(p => p.Series, Series));

        Assert.Contains("10", chart.Find("[data-testid=legend][data-series=Accepted]").TextContent);
        Assert.Contains("2", chart.Find("[data-testid=legend][data-series=Rejected]").TextContent);
        var timeLabels = chart.FindAll("g.time text").Select(label => label.TextContent).ToList();
        Assert.Equal("10:30", timeLabels[^1]);
        Assert.Equal(6, timeLabels.Count);
    }

    [Fact]
    public void AnEmptyHourStillDrawsAnAxisAndNoRectangle()
    {
        var chart = Render<StackedBarChart>(parameters => parameters
            .Add(p => p.Buckets, TimeBuckets.Fill([], Now, TimeSpan.FromMinutes(1), 60))
            .Add(p => p.Series, Series));

        Assert.Empty(chart.FindAll("rect"));
        Assert.Equal(["0", "1"], chart.FindAll("g.tick text").Select(label => label.TextContent));
    }

    private static double Number(AngleSharp.Dom.IElement element, string attribute) =>
        double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);
}
