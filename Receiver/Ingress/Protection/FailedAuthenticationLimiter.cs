using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Ingress.Protection;

/// <summary>
/// Counts failed authentications (unknown receiver, bad signature) per remote address and per receiver, with
/// ASP.NET Core's partitioned fixed-window limiter; once a partition has spent its allowance, requests from that
/// address or to that receiver get 429 before any work is done.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byReceiver;

    public FailedAuthenticationLimiter(IOptions<IngressOptions> options)
    {
        var settings = options.Value;
        _byAddress = Create(settings.FailuresPerAddress, settings.FailureWindow);
        _byReceiver = Create(settings.FailuresPerReceiver, settings.FailureWindow);
    }

    public bool IsBlocked(string address, string? receiver) =>
        IsExhausted(_byAddress, address) || (receiver is not null && IsExhausted(_byReceiver, receiver));

    public void RecordFailure(string address, string? receiver)
    {
        using var byAddress = _byAddress.AttemptAcquire(address);
        if (receiver is not null)
        {
            using var byReceiver = _byReceiver.AttemptAcquire(receiver);
        }
    }

    public void Dispose()
    {
        _byAddress.Dispose();
        _byReceiver.Dispose();
    }

    private static bool IsExhausted(PartitionedRateLimiter<string> limiter, string key) =>
        limiter.GetStatistics(key) is { CurrentAvailablePermits: <= 0 };

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
