namespace Webhooks.ChaosTests;

/// <summary>
/// One fault run's figures and the guarantees that did not hold (<see cref="Failures"/> empty: all held).
/// <see cref="RecoverySeconds"/>: from healing the fault (for a killed replica: its Start command) until every replica is running
/// and the cluster has all its silos again; <see cref="LongestGapSeconds"/>: the longest time without any 2xx answer;
/// <see cref="NotificationRepeats"/>: notifications received again with an Idempotency-Key already received.
/// </summary>
public sealed record FaultReport(
    string Fault,
    double LoadSeconds,
    long Deliveries,
    long Requests,
    long Answers2xx,
    long Answers5xx,
    long ConnectionFailures,
    long Retries,
    long GaveUp,
    long CommittedButNotAnswered2xx,
    long Freight,
    long Notifications,
    long NotificationRepeats,
    double LongestGapSeconds,
    double? RecoverySeconds,
    double DrainedSeconds,
    IReadOnlyList<string> Failures);
