namespace Webhooks.Grains.Notifications;

/// <summary>
/// Posts Freight events downstream: JSON signed with the target's secret, an idempotency id (the Freight id) so a
/// receiver can drop repeats, retries with exponential back-off on 5xx, 408/429 and timeouts.
/// </summary>
public interface IFreightNotifier
{
    /// <summary>
    /// Delivers <paramref name="notification"/>, calling <paramref name="onAttempt"/> after every attempt (so each is
    /// recorded as it happens); returns true once a 2xx was received, false when retries are exhausted or a 4xx
    /// other than 408/429 says retrying is pointless.
    /// </summary>
    Task<bool> NotifyAsync(
        FreightNotification notification,
        NotifyTarget target,
        Func<NotificationAttemptResult, CancellationToken, Task> onAttempt,
        CancellationToken cancellationToken);
}
