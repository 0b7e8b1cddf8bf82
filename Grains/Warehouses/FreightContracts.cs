namespace Webhooks.Grains.Warehouses;

/// <summary>
/// One Freight with the story of its downstream notification; <see cref="Notification"/> is null when the warehouse had
/// no notify target when the Freight was found.
/// </summary>
public sealed record FreightDetail(
    Guid Id,
    string RepositoryKey,
    string RepositoryUrl,
    string Ref,
    string Commit,
    string? Message,
    string? Author,
    DateTimeOffset DiscoveredAt,
    IReadOnlyList<Guid> DeliveryIds,
    FreightNotificationView? Notification);

/// <summary>
/// A Freight's notification: <see cref="Status"/> is <c>pending</c>, <c>delivered</c> or <c>failed</c>; each round is
/// the notifier's own retries, and every HTTP attempt of every round is listed in the order it was made.
/// </summary>
public sealed record FreightNotificationView(
    string Status,
    int Rounds,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt,
    string? LastError,
    IReadOnlyList<NotificationAttemptView> Attempts);

/// <summary>One POST to the target: the target's status code, or the error when there was no answer.</summary>
public sealed record NotificationAttemptView(
    int Round,
    int Attempt,
    DateTimeOffset StartedAt,
    double DurationMs,
    int? StatusCode,
    string? Error,
    bool Succeeded);
