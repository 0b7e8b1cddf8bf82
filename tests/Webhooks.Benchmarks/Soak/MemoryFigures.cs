namespace Webhooks.Benchmarks.Soak;

/// <summary>
/// What the soak's samples say: RSS at the start (the first sample after the first tenth of the run, so start-up and JIT
/// are behind it) and at the end, and the GC heap's least-squares slope over the same span (a leak is a steady upward
/// slope; a sawtooth around a level is collection doing its work).
/// </summary>
public static class MemoryFigures
{
    public static Dictionary<string, double> From(IReadOnlyList<ProcessSample> samples, TimeSpan duration)
    {
        var settled = samples.Where(s => s.Seconds >= duration.TotalSeconds / 10).ToList();
        if (settled.Count < 2)
        {
            settled = [.. samples];
        }

        var start = settled[0];
        var end = settled[^1];
        var heap = settled.Where(s => !double.IsNaN(s.GcHeapMib)).ToList();
        var slope = Slope(heap.Select(s => (s.Seconds / 60, s.GcHeapMib)).ToList());
        var meanHeap = heap.Count > 0 ? heap.Average(s => s.GcHeapMib) : double.NaN;
        var minutes = (end.Seconds - start.Seconds) / 60;
        return new Dictionary<string, double>
        {
            ["rssStartMib"] = start.RssMib,
            ["rssEndMib"] = end.RssMib,
            ["rssGrowth"] = (end.RssMib - start.RssMib) / start.RssMib,
            ["gcHeapStartMib"] = start.GcHeapMib,
            ["gcHeapEndMib"] = end.GcHeapMib,
            ["gcHeapMeanMib"] = meanHeap,
            ["gcHeapSlopeMibPerMinute"] = slope,
            // The growth the slope would add over the measured span, relative to the mean heap: "no trend" is small.
            ["gcHeapTrend"] = meanHeap > 0 ? slope * minutes / meanHeap : double.NaN,
            ["samples"] = samples.Count,
        };
    }

    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var covariance = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var variance = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return variance == 0 ? double.NaN : covariance / variance;
    }
}
