namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>Puts points into a fixed row of equal time buckets ending with the one that holds <c>end</c>.</summary>
public static class TimeBuckets
{
    /// <summary>
    /// <paramref name="count"/> buckets of <paramref name="width"/>, aligned to whole widths since the Unix epoch (so a
    /// minute bucket starts on the minute), the last one containing <paramref name="end"/>. Empty buckets are kept
    /// (a quiet minute is a zero, not a gap); points outside the window are dropped; points in one bucket add up.
    /// </summary>
    public static IReadOnlyList<TimeBucket> Fill(IEnumerable<ChartPoint> points, DateTimeOffset end, TimeSpan width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var lastStart = Floor(end, width);
        var firstStart = lastStart - (width * (count - 1));
        var counts = Enumerable.Range(0, count).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
        foreach (var point in points)
        {
            if (point.At < firstStart || point.At >= lastStart + width)
            {
                continue;
            }

            var index = (int)((point.At - firstStart).Ticks / width.Ticks);
            var bucket = counts[index];
            bucket[point.Series] = bucket.GetValueOrDefault(point.Series) + point.Count;
        }

        return [.. counts.Select((bucket, index) => new TimeBucket(firstStart + (width * index), bucket))];
    }

    /// <summary>The start of the bucket of <paramref name="width"/> that holds <paramref name="at"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan width)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % width.Ticks), TimeSpan.Zero);
    }
}
