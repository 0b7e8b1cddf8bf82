namespace Webhooks.Grains.Refresh;

/// <summary>
/// How long a warehouse whose refresh keeps throwing (the database refusing, discovery failing in a way it does not
/// report as a failed listing) waits before trying again: min(<c>baseDelay</c> × 2^(n−1), <c>maxDelay</c>) after its
/// n-th consecutive failure; a refresh that gets through resets it. Without it every sweep would retry every broken
/// warehouse at once, hammering whatever is already failing.
/// </summary>
public sealed class RefreshBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan Failed()
    {
        Failures++;
        // Past 30 doublings any sane base has long passed the cap; the bound keeps the arithmetic finite.
        var factor = Math.Pow(2, Math.Min(Failures - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks));
    }

    public void Succeeded() => Failures = 0;
}
