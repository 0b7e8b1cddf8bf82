namespace Webhooks.Benchmarks.Load;

/// <summary>Latency percentiles of one load run, in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double Max);
