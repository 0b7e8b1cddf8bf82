namespace Webhooks.Benchmarks.Load;

/// <summary>What one load run measured: requests answered per second, latency, answers by status and transport errors.</summary>
public sealed record LoadResult(
    string Mode,
    int Connections,
    double TargetRate,
    double Seconds,
    long Sent,
    long Answered,
    double Throughput,
    LatencySummary Latency,
    IReadOnlyDictionary<int, long> ByStatus,
    long Errors)
{
    /// <summary>The width of <see cref="Windows"/>: the soak's memory sampling interval, so the two line up.</summary>
    public static readonly TimeSpan WindowWidth = TimeSpan.FromSeconds(5);

    public long Answers2xx => ByStatus.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);

    /// <summary>Latency by send time, <see cref="WindowWidth"/> at a time: when in the run the slow requests were.</summary>
    public IReadOnlyList<LatencyWindow> Windows { get; init; } = [];
}
