namespace Webhooks.Benchmarks.Load;

/// <summary>
/// Every recorded latency, kept exactly (a run records at most a few hundred thousand): percentiles are read from the
/// sorted samples, so p99 and max are the real values, not bucket bounds.
/// </summary>
public sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public void Record(double milliseconds)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(milliseconds);
        }
    }

    public LatencySummary Summarise()
    {
        double[] sorted;
        lock (_milliseconds)
        {
            sorted = [.. _milliseconds];
        }

        Array.Sort(sorted);
        return sorted.Length == 0
            ? new LatencySummary(0, 0, 0, 0)
            : new LatencySummary(At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
