namespace Webhooks.Benchmarks.Load;

/// <summary>The requests sent in one stretch of a run (from <paramref name="StartSeconds"/>), and their latency.</summary>
public sealed record LatencyWindow(double StartSeconds, int Requests, LatencySummary Latency)
{
    /// <summary>
    /// PostgreSQL's background work meanwhile (<see cref="Soak.DatabaseActivitySampler"/>): empty when none, null when
    /// the run did not watch it.
    /// </summary>
    public string? DatabaseActivity { get; init; }
}
