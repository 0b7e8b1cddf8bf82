namespace Webhooks.Benchmarks.Load;

/// <summary>The requests sent in one stretch of a run (from <paramref name="StartSeconds"/>), and their latency.</summary>
public sealed record LatencyWindow(double StartSeconds, int Requests, LatencySummary Latency);
