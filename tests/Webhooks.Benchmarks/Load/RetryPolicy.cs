namespace Webhooks.Benchmarks.Load;

/// <summary>
/// How a sender resends a delivery answered 5xx, timed out or not connected: the same body and delivery id, the attempt
/// number one higher. Bitbucket Cloud makes at most 3 attempts, about a minute apart, and gives up after 10 s without an
/// answer (notes/bitbucket-protocol.md §1.5; the sources disagree on the delay). Tests shorten the waits.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="FirstDelay">Wait before the second attempt.</param>
/// <param name="Multiplier">Each later wait is the previous one times this.</param>
/// <param name="Timeout">How long one attempt waits for an answer before it counts as failed.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, double Multiplier, TimeSpan Timeout)
{
    public static RetryPolicy BitbucketCloud { get; } = new(3, TimeSpan.FromMinutes(1), 1, TimeSpan.FromSeconds(10));

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int attempt) => FirstDelay * Math.Pow(Multiplier, attempt - 2);

    /// <summary>Whether an answer is worth another attempt: 5xx only (4xx is final, as for Bitbucket Cloud).</summary>
    public static bool IsRetryable(int status) => status >= 500;
}
