namespace Webhooks.Benchmarks.Load;

/// <summary>
/// What a retrying run sent and was answered. <see cref="Requests"/> counts every attempt; <see cref="Deliveries"/> each
/// delivery once, with its final answer; <see cref="SuccessTimes"/> says when each 2xx arrived, to tell when ingress
/// recovered from a fault.
/// </summary>
public sealed record RetryingLoadResult(
    double Seconds,
    long Requests,
    long Answers2xx,
    long Answers5xx,
    long OtherAnswers,
    long ConnectionFailures,
    long Retries,
    long GaveUp,
    IReadOnlyList<SentDelivery> Deliveries,
    IReadOnlyList<DateTimeOffset> SuccessTimes)
{
    /// <summary>The first 2xx answered at or after <paramref name="moment"/>; null when none came.</summary>
    public DateTimeOffset? FirstSuccessAfter(DateTimeOffset moment) =>
        SuccessTimes.Where(t => t >= moment).Order().Cast<DateTimeOffset?>().FirstOrDefault();
}
