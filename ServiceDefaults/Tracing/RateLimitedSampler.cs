using System.Threading.RateLimiting;
using OpenTelemetry.Trace;

namespace Webhooks.ServiceDefaults.Tracing;

/// <summary>
/// Samples a new trace while a token bucket holding one second's worth of tokens has one, and drops the rest; the
/// bucket refills about ten times a second. Used as the root sampler of a <see cref="ParentBasedSampler"/>.
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    private readonly TokenBucketRateLimiter? _bucket;

    public RateLimitedSampler(int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        Description = $"RateLimitedSampler{{{perSecond}/s}}";
        if (perSecond == 0)
        {
            return;
        }

        // 20/s: 2 tokens every 100 ms; 5/s: 1 every 200 ms.
        var tokensPerPeriod = (perSecond + 9) / 10;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (_bucket is null)
        {
            return Dropped;
        }

        using var lease = _bucket.AttemptAcquire();
        return lease.IsAcquired ? Sampled : Dropped;
    }
}
