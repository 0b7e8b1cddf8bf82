namespace Webhooks.Grains.Deliveries;

/// <summary>What became of a redelivery request.</summary>
public enum RedeliveryStatus
{
    /// <summary>A new delivery replays the original; <see cref="RedeliveryResult.Answer"/> says which.</summary>
    Redelivered,

    NotFound,

    /// <summary>The delivery cannot be replayed; <see cref="RedeliveryResult.Refusal"/> says why, in words safe to show.</summary>
    Refused,
}

public sealed record RedeliveryResult(RedeliveryStatus Status, RedeliveryAnswer? Answer = null, string? Refusal = null)
{
    public static readonly RedeliveryResult NotFound = new(RedeliveryStatus.NotFound);

    public static RedeliveryResult Refused(string why) => new(RedeliveryStatus.Refused, Refusal: why);
}
