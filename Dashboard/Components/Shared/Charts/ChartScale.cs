namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>
/// The y axis of a count chart: a "nice" top (1, 2 or 5 × 10ⁿ, at least the largest bar) and whole-number ticks, so the
/// gridlines read 0, 5, 10, 15, 20 rather than 0, 4.6, 9.2.
/// </summary>
public sealed record ChartScale(long Max, IReadOnlyList<long> Ticks)
{
    public static ChartScale For(long largest)
    {
        if (largest <= 0)
        {
            // An empty chart still gets an axis: 0 and 1.
            return new ChartScale(1, [0, 1]);
        }

        var magnitude = 1L;
        while (true)
        {
            foreach (var step in new[] { 1L, 2L, 5L })
            {
                var candidate = step * magnitude;
                if (candidate >= largest)
                {
                    return Build(candidate);
                }
            }

            magnitude *= 10;
        }
    }

    /// <summary>The height of <paramref name="value"/> on an axis <paramref name="height"/> units tall.</summary>
    public double HeightOf(long value, double height) => Max == 0 ? 0 : Math.Clamp(value, 0, Max) * height / Max;

    private static ChartScale Build(long max)
    {
        // Four or five intervals: 5 → 0..5 by 1, 10 → by 2, 20 → by 5, 50 → by 10, 100 → by 20, 200 → by 50.
        var interval = max switch
        {
            <= 5 => 1,
            _ => max / (max.ToString(System.Globalization.CultureInfo.InvariantCulture)[0] switch { '1' => 5, '2' => 4, _ => 5 }),
        };
        var ticks = new List<long>();
        for (var tick = 0L; tick <= max; tick += interval)
        {
            ticks.Add(tick);
        }

        return new ChartScale(max, ticks);
    }
}
