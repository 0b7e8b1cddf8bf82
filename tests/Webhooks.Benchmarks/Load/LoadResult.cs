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
    public long Answers2xx => ByStatus.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);
}
