namespace Webhooks.Benchmarks.Load;

/// <summary>
/// Every recorded latency with the second of the run its request was (meant to be) sent, kept exactly (a run records at
/// most a few hundred thousand): percentiles are read from the sorted samples, so p99 and max are the real values, not
/// bucket bounds; the windows show when in the run the slow requests were.
/// </summary>
public sealed class Latencies
{
    private readonly List<(double SentAt, double Milliseconds)> _samples = [];

    public void Record(double sentAtSeconds, double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add((sentAtSeconds, milliseconds));
        }
    }

    public LatencySummary Summarise() => Summarise(Snapshot().Select(s => s.Milliseconds));

    /// <summary>The run cut into windows of <paramref name="width"/> by send time, each summarised on its own.</summary>
    public IReadOnlyList<LatencyWindow> Windows(TimeSpan width) =>
        [.. Snapshot()
            .GroupBy(s => (int)(s.SentAt / width.TotalSeconds))
            .OrderBy(g => g.Key)
            .Select(g => new LatencyWindow(g.Key * width.TotalSeconds, g.Count(), Summarise(g.Select(s => s.Milliseconds))))];

    private (double SentAt, double Milliseconds)[] Snapshot()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }

    private static LatencySummary Summarise(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0)
            : new LatencySummary(At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
