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

/// <summary>A Freight a delivery announced, with the warehouse that holds it: the delivery page's link onwards.</summary>
public sealed record DeliveryFreightView(
    Guid Id,
    string Project,
    string Warehouse,
    string Ref,
    string Commit,
    DateTimeOffset DiscoveredAt,
    string? Notification);

/// <summary>
/// A Freight's notification in one line: status (<c>pending</c>, <c>delivered</c>, <c>failed</c>), attempts made,
/// the last attempt's result and, while pending, when the next round starts.
/// </summary>
public sealed record FreightNotificationSummary(
    Guid FreightId,
    string Ref,
    string Commit,
    DateTimeOffset DiscoveredAt,
    string Status,
    int Rounds,
    int Attempts,
    DateTimeOffset? LastAttemptAt,
    string? LastResult,
    DateTimeOffset? NextAttemptAt);

/// <summary>One page of a warehouse's notifications, newest Freight first; <see cref="Total"/> counts every page.</summary>
public sealed record FreightNotificationPage(IReadOnlyList<FreightNotificationSummary> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
